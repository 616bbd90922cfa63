/** A whole id, selectable as text, with a button that copies it. */
import { useState } from 'react';

export function CopyId({ id, label = 'id' }: { id: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () =>
    void navigator.clipboard
      ?.writeText(id)
      .then(() => {
        setCopied(true);
        window.setTimeout(() => setCopied(false), 1500);
      })
      .catch(() => undefined);
  return (
    <span className="copy-id">
      <code>{id}</code>{' '}
      <button type="button" className="small" onClick={copy} aria-label={`Copy ${label} ${id}`} title="Copy">
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}
