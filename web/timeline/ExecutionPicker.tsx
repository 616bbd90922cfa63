/**
 * Which execution the timeline shows: the live events, or one imported execution, each listed by its import's
 * name with its event and host counts (a log split by a delimiter lists each of its executions). An import is
 * shown alone, never among the live events nor beside another one. The import picked can be renamed and deleted
 * here; deleting it drops every event it stored.
 */
import { useEffect, useState } from 'react';
import type { Execution, ImportSummary } from '../../shared/api/imports.js';
import { describeError } from '../api/client.js';
import { deleteImport, listImports, renameImport, type ExecutionScope } from './api.js';

const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

/** How the picker lists an execution: its import's name, its label when the log holds several, its counts. */
export function executionTitle(summary: ImportSummary, execution: Execution): string {
  const index = summary.executions.indexOf(execution);
  const part = summary.executions.length > 1 ? ` — ${execution.label || `execution ${index + 1}`}` : '';
  return `${summary.name}${part} · ${plural(execution.events, 'event')} · ${plural(execution.hosts.length, 'host')}`;
}

export interface ExecutionPickerProps {
  value: ExecutionScope;
  onChange(execution: ExecutionScope): void;
  /** Changes when the list must be read again (after an import). */
  refresh: number;
  onNotice(message: string): void;
}

export function ExecutionPicker({ value, onChange, refresh, onNotice }: ExecutionPickerProps) {
  const [listed, setListed] = useState<{ imports: ImportSummary[]; refresh: number } | null>(null);
  const imports = listed?.imports ?? null;
  const [reads, setReads] = useState(0);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    let current = true;
    listImports()
      .then((list) => current && setListed({ imports: list, refresh }))
      .catch((e: unknown) => current && onNotice(`imports could not be listed: ${describeError(e)}`));
    return () => {
      current = false;
    };
  }, [refresh, reads, onNotice]);

  const picked = value === null ? null : (imports?.find((i) => i.executions.some((e) => e.id === value)) ?? null);
  // An execution no longer listed (deleted elsewhere) gives way to the live events; a list read before the
  // latest import is no proof that the execution just imported is gone.
  const fresh = listed !== null && listed.refresh === refresh;
  useEffect(() => {
    if (value !== null && fresh && picked === null) onChange(null);
  }, [value, fresh, picked, onChange]);
  useEffect(() => {
    setRenaming(null);
    setConfirming(false);
  }, [value]);

  const act = async (work: () => Promise<void>, done: string) => {
    try {
      await work();
      onNotice(done);
    } catch (e) {
      onNotice(describeError(e));
    }
    setReads((n) => n + 1);
  };

  return (
    <div className="execution-picker inline-form" role="group" aria-label="Executions">
      <label>
        Execution{' '}
        <select aria-label="Execution" value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}>
          <option value="">Live</option>
          {imports && imports.length > 0 ? (
            <optgroup label="Imports">
              {imports.flatMap((summary) =>
                summary.executions.map((execution) => (
                  <option key={execution.id} value={execution.id}>
                    {executionTitle(summary, execution)}
                  </option>
                )),
              )}
            </optgroup>
          ) : null}
        </select>
      </label>
      {picked && renaming !== null ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const name = renaming.trim();
            if (name) void act(() => renameImport(picked.id, name).then(() => setRenaming(null)), `renamed to “${name}”`);
          }}
        >
          <input aria-label="Import name" value={renaming} maxLength={200} onChange={(e) => setRenaming(e.target.value)} autoFocus />
          <button type="submit" disabled={renaming.trim() === ''}>
            Save name
          </button>
          <button type="button" onClick={() => setRenaming(null)}>
            Cancel
          </button>
        </form>
      ) : picked ? (
        <button type="button" onClick={() => setRenaming(picked.name)}>
          Rename…
        </button>
      ) : null}
      {picked && confirming ? (
        <span role="alert" className="inline-form">
          Delete “{picked.name}” and its {plural(picked.events, 'event')}?
          <button
            type="button"
            className="danger"
            onClick={() =>
              void act(async () => {
                await deleteImport(picked.id);
                onChange(null);
              }, `deleted “${picked.name}”`)
            }
          >
            Delete
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </span>
      ) : picked && renaming === null ? (
        <button type="button" onClick={() => setConfirming(true)}>
          Delete import…
        </button>
      ) : null}
    </div>
  );
}
