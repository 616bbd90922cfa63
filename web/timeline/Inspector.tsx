/** The selected event: every field, the payload as a tree, its clock, its causal counts and its chain. */
import type { StoredEvent } from '../../shared/event.js';
import { flowPath } from '../app/routes.js';
import { Link } from '../app/router.js';
import { JsonTree } from '../live/JsonTree.js';
import type { CausalityAnswer } from './api.js';
import { correlationTree, summary, type ChainNode } from './events.js';

function Chain({ nodes, selected }: { nodes: ChainNode[]; selected: string }) {
  return (
    <ul className="chain">
      {nodes.map((n) => (
        <li key={n.event.id}>
          <span className={n.event.id === selected ? 'chain-selected' : undefined}>
            {n.event.type} <span className="muted">({n.event.process})</span>
          </span>
          {n.children.length > 0 ? <Chain nodes={n.children} selected={selected} /> : null}
        </li>
      ))}
    </ul>
  );
}

export function Inspector({ event, events, causality }: { event: StoredEvent | null; events: readonly StoredEvent[]; causality: CausalityAnswer | null | 'loading' }) {
  if (!event) {
    return (
      <aside className="timeline-inspector" aria-label="Inspector">
        <p className="muted">Click an event (or focus the diagram and press → ) to see its causal past and future.</p>
      </aside>
    );
  }
  const fields: [string, string][] = [
    ['id', event.id],
    ['type', event.type],
    ['source', event.source],
    ['time', event.time],
    ['process', event.process],
    ['stream', `${event.stream} v${event.version}`],
    ['position', String(event.position)],
    ['correlationId', event.correlationId],
    ['causationId', event.causationId ?? '—'],
  ];
  const counts = causality && causality !== 'loading' ? causality : null;
  return (
    <aside className="timeline-inspector" aria-label="Inspector">
      <h2 className="inspector-title">{event.type}</h2>
      <p className="inspector-summary">{summary(event)}</p>
      <p data-testid="causal-counts">
        {causality === 'loading' ? (
          <span className="muted">asking the server for the causal cone…</span>
        ) : counts ? (
          <>
            <span className="cone-past">past {counts.pastCount ?? counts.past.length}</span> · <span className="cone-future">future {counts.futureCount ?? counts.future.length}</span> ·{' '}
            <span className="muted">concurrent {counts.concurrent}</span>
          </>
        ) : null}
      </p>
      <dl className="inspector-fields">
        {fields.map(([k, value]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {event.flowId ? (
        <p>
          <Link to={`${flowPath(event.flowId)}${event.nodeId ? `?node=${encodeURIComponent(event.nodeId)}` : ''}`}>Open node {event.nodeId ?? ''} in the editor</Link>
        </p>
      ) : null}
      <h3>Vector clock</h3>
      <table className="clock-table">
        <tbody>
          {Object.entries(event.vectorClock)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([p, n]) => (
              <tr key={p} className={p === event.process ? 'clock-own' : undefined}>
                <td>{p}</td>
                <td>{n}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <h3>Payload</h3>
      <JsonTree value={event.data} />
      <h3>Correlation chain</h3>
      <Chain nodes={correlationTree(events, event.correlationId)} selected={event.id} />
    </aside>
  );
}
