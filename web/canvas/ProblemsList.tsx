/** The validation answer as a list: clicking a problem selects its node. */
import type { Problem } from '../../shared/api/flows.js';
import { countText, problemText } from './problems.js';

interface Props {
  errors: Problem[];
  warnings: Problem[];
  /** Node names by id. */
  names: ReadonlyMap<string, string>;
  /** The flow has no nodes yet. */
  empty: boolean;
  checking: boolean;
  onSelect(nodeId: string): void;
}

export function ProblemsList({ errors, warnings, names, empty, checking, onSelect }: Props) {
  const name = (id: string | null) => (id ? (names.get(id) ?? id) : 'flow');
  const items = [...errors.map((p) => ({ p, level: 'error' as const })), ...warnings.map((p) => ({ p, level: 'warning' as const }))];
  return (
    <section className="problems" aria-label="Problems">
      <h2>
        Problems {checking ? <span className="muted">checking…</span> : <span className="muted">{countText(errors.length, warnings.length)}</span>}
      </h2>
      {items.length === 0 ? (
        <p className="empty-state">{empty ? 'Drag a node from the palette onto the canvas to start.' : 'No problems: the flow compiles.'}</p>
      ) : (
        <ul>
          {items.map(({ p, level }, i) => (
            <li key={i} className={`problem problem-${level}`}>
              <button type="button" className="link-button" disabled={!p.nodeId} onClick={() => p.nodeId && onSelect(p.nodeId)}>
                <strong>{name(p.nodeId)}</strong>
                {p.path ? <code> {p.path}</code> : null}: <span className="problem-message">{problemText(p)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
