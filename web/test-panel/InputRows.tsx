/** The Test panel's input rows: CloudEvent JSON, event ids, or the last N events of a source; each with its source. */
import type { InputRow } from './inputs.js';
import { EXAMPLE_EVENT } from './inputs.js';

interface Props {
  rows: InputRow[];
  problems: ReadonlyMap<number, string>;
  /** The flow's source nodes, by id. */
  sources: string[];
  names: ReadonlyMap<string, string>;
  onChange(rows: InputRow[]): void;
}

const KIND_LABELS: Record<InputRow['kind'], string> = { json: 'Event JSON', ids: 'Event ids', last: 'Last events of a source' };

export function InputRows({ rows, problems, sources, names, onChange }: Props) {
  const change = (i: number, row: InputRow) => onChange(rows.map((r, j) => (j === i ? row : r)));
  return (
    <div className="test-rows">
      <ol>
        {rows.map((row, i) => (
          <li key={i} className="test-row" aria-label={`Input ${i + 1}: ${KIND_LABELS[row.kind]}`}>
            <div className="test-row-head">
              <strong>{KIND_LABELS[row.kind]}</strong>
              <label>
                enters by{' '}
                <select aria-label={`Input ${i + 1} source`} value={row.source} onChange={(e) => change(i, { ...row, source: e.target.value })}>
                  {row.kind === 'last' ? <option value="">choose a source</option> : <option value="">its own source</option>}
                  {sources.map((id) => (
                    <option key={id} value={id}>
                      {names.get(id) ?? id}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" className="small secondary" aria-label={`Remove input ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                ✕
              </button>
            </div>
            {row.kind === 'last' ? (
              <label>
                how many{' '}
                <input type="number" min={1} max={100} aria-label={`Input ${i + 1} count`} value={row.count} onChange={(e) => change(i, { ...row, count: Number(e.target.value) })} />
              </label>
            ) : (
              <textarea
                aria-label={row.kind === 'json' ? `Input ${i + 1} event JSON` : `Input ${i + 1} event ids`}
                rows={row.kind === 'json' ? 4 : 2}
                spellCheck={false}
                placeholder={row.kind === 'json' ? 'a CloudEvent, or an array of them' : 'event ids, separated by spaces, commas or lines'}
                value={row.text}
                onChange={(e) => change(i, { ...row, text: e.target.value })}
              />
            )}
            {problems.has(i) ? <p className="field-error">{problems.get(i)}</p> : null}
          </li>
        ))}
      </ol>
      <div className="test-add">
        <button type="button" className="small" onClick={() => onChange([...rows, { kind: 'json', source: '', text: EXAMPLE_EVENT }])}>
          + Event JSON
        </button>
        <button type="button" className="small" onClick={() => onChange([...rows, { kind: 'ids', source: '', text: '' }])}>
          + Event ids
        </button>
        <button type="button" className="small" onClick={() => onChange([...rows, { kind: 'last', source: sources[0] ?? '', count: 10 }])} disabled={sources.length === 0}>
          + Last events of a source
        </button>
      </div>
    </div>
  );
}
