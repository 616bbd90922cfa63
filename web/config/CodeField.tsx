/**
 * A code field (JSONata or JavaScript) in a monospace editor. A JSONata syntax error shows as the user types; a
 * JavaScript one comes with the server's validation (see syntax.ts), as `error`.
 */
import { useId } from 'react';
import { checkJsonata } from './syntax.js';

interface Props {
  id: string;
  label: string;
  language: 'jsonata' | 'javascript';
  params: string[];
  value: string;
  description?: string;
  error?: string;
  readOnly?: boolean;
  onChange(value: string): void;
}

export function CodeField({ id, label, language, params, value, description, error, readOnly, onChange }: Props) {
  const hintId = useId();
  const syntax = language === 'jsonata' ? checkJsonata(value) : null;
  const message = syntax ? `Syntax error: ${syntax.message}` : error;
  const heading = language === 'javascript' ? `function (${params.join(', ')}) {` : 'JSONata';
  return (
    <div className={`field code-field${message ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label} <span className="field-language">{language === 'jsonata' ? 'JSONata' : 'JavaScript'}</span>
      </label>
      {description ? <p className="field-help" id={hintId}>{description}</p> : null}
      <code className="code-frame">{heading}</code>
      <textarea
        id={id}
        className="code-input"
        spellCheck={false}
        rows={language === 'javascript' ? 6 : 2}
        value={value}
        disabled={readOnly}
        aria-invalid={message ? true : undefined}
        aria-describedby={description ? hintId : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {language === 'javascript' ? <code className="code-frame">{'}'}</code> : null}
      {message ? <p className="field-error" role="alert">{message}</p> : null}
    </div>
  );
}
