/**
 * The selected event: every field, the payload as a tree (fetched: the diagram holds no payloads), its clock,
 * its causal past and future as the server counts them over the whole store (with the nearest ones listed, to
 * select), how much of that is on the diagram, and its correlation chain.
 */
import type { Causality } from '../../shared/api/events.js';
import type { StoredEvent } from '../../shared/event.js';
import { toTimelineRecord, type TimelineRecord } from '../../shared/timeline-page.js';
import { flowPath } from '../app/routes.js';
import { Link } from '../app/router.js';
import { JsonTree } from '../live/JsonTree.js';
import { correlationTree, summary, type ChainNode } from './events.js';
import { UseInTest } from '../test-panel/UseInTest.js';

export type Loadable<T> = T | null | 'loading';

function Chain({ nodes, selected, onSelect }: { nodes: ChainNode<TimelineRecord>[]; selected: string; onSelect(id: string): void }) {
  return (
    <ul className="chain">
      {nodes.map((n) => (
        <li key={n.event.id}>
          {n.event.id === selected ? (
            <span className="chain-selected">{n.event.type}</span>
          ) : (
            <button type="button" className="link-button" onClick={() => onSelect(n.event.id)}>
              {n.event.type}
            </button>
          )}{' '}
          <span className="muted">({n.event.process})</span>
          {n.children.length > 0 ? <Chain nodes={n.children} selected={selected} onSelect={onSelect} /> : null}
        </li>
      ))}
    </ul>
  );
}

function ConeList({ title, events, total, onSelect }: { title: string; events: StoredEvent[]; total: number; onSelect(id: string): void }) {
  if (events.length === 0) return null;
  return (
    <details className="cone-list">
      <summary>
        {title} ({events.length < total ? `nearest ${events.length} of ${total}` : total})
      </summary>
      <ul>
        {events.map((e) => (
          <li key={e.id}>
            <button type="button" className="link-button" onClick={() => onSelect(e.id)}>
              {e.type}
            </button>{' '}
            <span className="muted">
              {e.process} #{e.position}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}

export interface InspectorProps {
  /** The selected event as the diagram holds it, or null when it is not loaded (selected from a list). */
  record: TimelineRecord | null;
  /** The whole stored event, fetched on selection. */
  full: Loadable<StoredEvent>;
  events: readonly TimelineRecord[];
  /** The selected event's correlation chain as the server holds it (null: it could not be read). */
  chain: Loadable<{ records: TimelineRecord[]; complete: boolean }>;
  causality: Loadable<Causality>;
  /** How many loaded events the diagram lights as past and future. */
  shown: { past: number; future: number } | null;
  onSelect(id: string): void;
}

export function Inspector({ record, full, events, chain, causality, shown, onSelect }: InspectorProps) {
  const stored = full !== 'loading' ? full : null;
  if (!record && !stored) {
    return (
      <aside className="timeline-inspector" aria-label="Inspector">
        <p className="muted">{full === 'loading' ? 'Loading the event…' : 'Click an event (or focus the diagram and press → ) to see its causal past and future.'}</p>
      </aside>
    );
  }
  // The fetched event once it is here; until then what the diagram holds of it.
  const event = stored ? toTimelineRecord(stored) : record!;
  const { id, type, process, correlationId, flowId, nodeId, vectorClock } = event;
  const fields: [string, string][] = [
    ['id', id],
    ['type', type],
    ['source', event.source],
    ['time', stored?.time ?? new Date(event.time).toISOString()],
    ['process', process],
    ['stream', stored ? `${stored.stream} v${stored.version}` : '…'],
    ['position', String(event.position)],
    ['correlationId', correlationId],
    ['causationId', event.causationId || '—'],
  ];
  const counts = causality !== 'loading' ? causality : null;
  return (
    <aside className="timeline-inspector" aria-label="Inspector">
      <h2 className="inspector-title">{type}</h2>
      {stored ? <p className="inspector-summary">{summary(stored)}</p> : null}
      <p
        data-testid="causal-counts"
        data-event={id}
        {...(counts ? { 'data-past': counts.pastCount, 'data-future': counts.futureCount, 'data-concurrent': counts.concurrent } : {})}
      >
        {causality === 'loading' ? (
          <span className="muted">asking the server for the causal cone…</span>
        ) : counts ? (
          <>
            <span className="cone-past">past {counts.pastCount}</span> · <span className="cone-future">future {counts.futureCount}</span> ·{' '}
            <span className="muted">concurrent {counts.concurrent}</span> <span className="muted">in the store</span>
          </>
        ) : (
          <span className="muted">the causal cone could not be read</span>
        )}
      </p>
      <p className="muted" data-testid="cone-shown">
        {shown ? `on the diagram: past ${shown.past} · future ${shown.future} of ${events.length} loaded` : 'not among the loaded events'}
      </p>
      {counts ? (
        <>
          <ConeList title="Past" events={counts.past} total={counts.pastCount} onSelect={onSelect} />
          <ConeList title="Future" events={counts.future} total={counts.futureCount} onSelect={onSelect} />
        </>
      ) : null}
      <dl className="inspector-fields">
        {fields.map(([k, value]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {flowId ? (
        <p>
          <Link to={`${flowPath(flowId)}${nodeId ? `?node=${encodeURIComponent(nodeId)}` : ''}`}>Open node {nodeId ?? ''} in the editor</Link>
        </p>
      ) : null}
      <UseInTest event={{ id, type }} />
      <h3>Vector clock</h3>
      <table className="clock-table">
        <tbody>
          {Object.entries(vectorClock)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([p, n]) => (
              <tr key={p} className={p === process ? 'clock-own' : undefined}>
                <td>{p}</td>
                <td>{n}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <h3>Payload</h3>
      {full === 'loading' ? <p className="muted">loading…</p> : stored ? <JsonTree value={stored.data} /> : <p className="muted">could not be read</p>}
      <h3>Correlation chain</h3>
      {chain === 'loading' ? <p className="muted">loading…</p> : null}
      {chain !== 'loading' ? (
        <div data-testid="correlation-chain" data-size={chain ? chain.records.length : undefined}>
          <Chain nodes={correlationTree(chain ? chain.records : events, correlationId)} selected={id} onSelect={onSelect} />
          {chain === null ? <p className="muted">the chain could not be read: showing its loaded events</p> : null}
          {chain && !chain.complete ? <p className="muted">the first {chain.records.length} events of the chain</p> : null}
        </div>
      ) : null}
    </aside>
  );
}
