/**
 * Importing a ShiViz/GoVector log from a file. The regex names `host`, `clock` and `event`; an optional
 * delimiter splits executions. A host missing from a clock counts as 0 (ShiViz treats it as not comparable).
 * Lines the regex does not cover are listed once imported (UnmatchedList.tsx), or, with "strict", refuse the log.
 */
import { useState } from 'react';
import type { ImportAnswer } from '../../shared/api/imports.js';
import { DEFAULT_REGEX, SHIVIZ_REGEX } from '../../shared/shiviz.js';
import { describeError } from '../api/client.js';
import { importShiViz } from './api.js';
import { UnmatchedList } from './UnmatchedList.js';

export function ImportDialog({ onClose, onImported }: { onClose(): void; onImported(answer: ImportAnswer): void }) {
  const [file, setFile] = useState<File | null>(null);
  const [regex, setRegex] = useState(DEFAULT_REGEX);
  const [delimiter, setDelimiter] = useState('');
  const [form, setForm] = useState(false);
  const [strict, setStrict] = useState(false);
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await importShiViz(await file.text(), { name: file.name.replace(/[\s/\\]+/g, '_') || 'log', regex, delimiter, form, strict });
      // What was left out is shown before the import opens.
      if (answer.unmatchedCount > 0) setAnswer(answer);
      else onImported(answer);
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };

  return (
    <div className="overlay" role="presentation">
      <div className="dialog" role="dialog" aria-modal="true" aria-label="Import a ShiViz log">
        <h2>Import a ShiViz log</h2>
        <label className="field">
          Log file
          <input type="file" aria-label="Log file" accept=".log,.txt,text/plain" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <label className="field-check">
          <input type="checkbox" checked={form} onChange={(e) => setForm(e.target.checked)} /> the file is ShiViz's upload form (line 1 regex, line 2 delimiter)
        </label>
        {!form ? (
          <>
            <label className="field">
              Parser regex
              <input className="code-input" value={regex} onChange={(e) => setRegex(e.target.value)} aria-label="Parser regex" />
            </label>
            <p className="field-help">
              GoVector: <code>{DEFAULT_REGEX}</code> · ShiViz: <button type="button" className="link-button" onClick={() => setRegex(SHIVIZ_REGEX)}>{SHIVIZ_REGEX}</button>
            </p>
            <label className="field">
              Execution delimiter (optional)
              <input className="code-input" value={delimiter} placeholder="^=== (?<trace>.*) ===$" onChange={(e) => setDelimiter(e.target.value)} aria-label="Execution delimiter" />
            </label>
          </>
        ) : null}
        <label className="field-check">
          <input type="checkbox" checked={strict} onChange={(e) => setStrict(e.target.checked)} /> strict: refuse the log if the regex leaves a line out
        </label>
        <p className="field-help">Hosts become lanes and clocks vector clocks. A host missing from a clock counts as 0 (the textbook rule; ShiViz instead treats it as not comparable).</p>
        {error ? (
          <p className="status-error" role="alert">
            {error}
          </p>
        ) : null}
        {answer ? <UnmatchedList answer={answer} /> : null}
        <div className="row-actions">
          {answer ? (
            <button type="button" className="primary" onClick={() => onImported(answer)}>
              Open the import ({answer.imported} events)
            </button>
          ) : (
            <>
              <button type="button" onClick={onClose}>
                Cancel
              </button>
              <button type="button" className="primary" disabled={!file || busy} onClick={() => void submit()}>
                Import
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
