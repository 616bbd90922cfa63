/**
 * The events that reached the flow's debug nodes: type, time, process and payload as a tree; pause, clear and
 * filter; each event opens in the timeline.
 */
import { memo, useState } from 'react';
import { Link } from '../app/router.js';
import { JsonTree } from './JsonTree.js';
import type { DebugEntry } from './messages.js';

interface Props {
  entries: DebugEntry[];
  /** Node names by id. */
  names: ReadonlyMap<string, string>;
  paused: boolean;
  running: boolean;
  onPause(paused: boolean): void;
  onClear(): void;
}

const matches = (entry: DebugEntry, filter: string, nodeName: string) => {
  if (filter === '') return true;
  const needle = filter.toLowerCase();
  const e = entry.event;
  return [e.type, e.process, e.source, nodeName, JSON.stringify(e.data)].some((s) => String(s ?? '').toLowerCase().includes(needle));
};

function DebugList({ entries, names, paused, running, onPause, onClear }: Props) {
  const [filter, setFilter] = useState('');
  const shown = entries.filter((e) => matches(e, filter, names.get(e.nodeId) ?? ''));
  return (
    <section className="debug-panel" aria-label="Debug messages">
      <header className="panel-header">
        <h2>Debug</h2>
        <input type="search" aria-label="Filter debug messages" placeholder="Filter by type, process, data…" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <button type="button" className="small" aria-pressed={paused} onClick={() => onPause(!paused)}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" className="small" onClick={onClear} disabled={entries.length === 0}>
          Clear
        </button>
        <span className="muted" aria-live="polite">
          {entries.length} message{entries.length === 1 ? '' : 's'}
        </span>
      </header>
      {entries.length === 0 ? (
        <p className="empty-state">
          {running ? 'Waiting for events to reach a debug node…' : 'Deploy the flow, and the events reaching its debug nodes appear here.'}
        </p>
      ) : shown.length === 0 ? (
        <p className="empty-state">No message matches “{filter}”.</p>
      ) : (
        <ol className="debug-list">
          {shown.map((entry) => (
            <li key={entry.seq} className="debug-entry">
              <div className="debug-meta">
                <span className="debug-type">{entry.event.type}</span>
                <time dateTime={entry.event.time}>{new Date(entry.event.time).toLocaleTimeString()}</time>
                <span className="muted">process {entry.event.process}</span>
                <span className="muted">at {names.get(entry.nodeId) ?? entry.nodeId}</span>
                <Link to={`/timeline?event=${encodeURIComponent(entry.event.id)}`} className="small-link">
                  Open in timeline
                </Link>
              </div>
              <JsonTree value={entry.event.data} name="data" />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export const DebugPanel = memo(DebugList);
