/**
 * The last events a node took in and sent out, live, beside the canvas: for the node under the pointer, else the one
 * selected, while the flow runs. Each event shows its type, time and data as text; the newest is first.
 */
import { memo, useEffect } from 'react';
import type { StoredEvent } from '../../shared/event.js';
import { Link } from '../app/router.js';
import { setHovered, useHovered } from './hovered.js';
import { useEditor } from './store.js';
import { useNodeTraffic } from '../live/useNodeTraffic.js';

interface Props {
  flowId: string;
  running: boolean;
  names: ReadonlyMap<string, string>;
}

const DATA_CHARS = 160;

function dataText(data: unknown): string {
  const text = data === undefined ? '' : JSON.stringify(data);
  return text.length > DATA_CHARS ? `${text.slice(0, DATA_CHARS - 1)}…` : text;
}

function EventList({ label, events }: { label: string; events: readonly StoredEvent[] }) {
  return (
    <section className="traffic-side" aria-label={label}>
      <h3>{label}</h3>
      {events.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ol>
          {events.map((e) => (
            <li key={`${e.id}:${e.position}`} className="traffic-event">
              <div className="traffic-meta">
                <Link to={`/timeline?event=${encodeURIComponent(e.id)}`}>{e.type}</Link>
                <time dateTime={e.time}>{new Date(e.time).toLocaleTimeString()}</time>
              </div>
              <code className="traffic-data">{dataText(e.data)}</code>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function View({ flowId, running, names }: Props) {
  const hovered = useHovered();
  // The pointer is on no node of a canvas that is gone.
  useEffect(() => () => setHovered(null), []);
  const selected = useEditor((s) => (s.selectedNodes.length === 1 ? (s.selectedNodes[0] ?? null) : null));
  const nodeId = hovered ?? selected;
  const { traffic, error } = useNodeTraffic(flowId, nodeId, running);
  if (!running || nodeId === null) return null;
  return (
    <aside className="traffic-view" aria-label={`Last events of ${names.get(nodeId) ?? nodeId}`} data-testid="node-traffic">
      <header>
        Last events of <strong>{names.get(nodeId) ?? nodeId}</strong>
      </header>
      {error ? <p className="status-error">{error}</p> : null}
      {traffic ? (
        <div className="traffic-sides">
          <EventList label="Took in" events={traffic.in} />
          <EventList label="Sent out" events={traffic.out} />
        </div>
      ) : error ? null : (
        <p className="muted">Loading…</p>
      )}
    </aside>
  );
}

export const NodeTrafficView = memo(View);
