/**
 * A replay: progress while it runs (streamed from the server), with a button that cancels it, then replayed
 * against original per node — identical / changed / missing / extra — with the differing fields, and the replay's
 * own events in their own diagram. A cancelled replay shows the diff of the inputs it handled.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { DiffSummary, ReplayStatus } from '../../shared/api/replays.js';
import { toTimelineRecord } from '../../shared/timeline-page.js';
import { describeError } from '../api/client.js';
import { flowPath } from '../app/routes.js';
import { Link, useLocation } from '../app/router.js';
import { layoutTimeline } from '../timeline/layout.js';
import { TimelineCanvas } from '../timeline/TimelineCanvas.js';
import '../timeline/timeline.css';
import { cancelReplay, getReplayEvents } from './api.js';
import { useReplayStatus } from './useReplayStatus.js';

const show = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));

function Summary({ diff }: { diff: DiffSummary }) {
  return (
    <p className="diff-summary" data-testid="diff-summary">
      <span className="diff-identical">identical {diff.identical}</span>
      <span className="diff-changed">changed {diff.changed}</span>
      <span className="diff-missing">missing {diff.missing}</span>
      <span className="diff-extra">extra {diff.extra}</span>
    </p>
  );
}

const STATE_LABELS: Record<ReplayStatus['state'], string> = { running: 'Running', done: 'Done', failed: 'Failed', cancelled: 'Cancelled' };

/** Stops the replay; the page then shows its final status (also streamed). */
function CancelButton({ id }: { id: string }) {
  const client = useQueryClient();
  const cancel = useMutation({ mutationFn: () => cancelReplay(id), onSuccess: (status) => client.setQueryData(['replay', id], status) });
  return (
    <>
      <button type="button" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
        {cancel.isPending ? 'Cancelling…' : 'Cancel replay'}
      </button>
      {cancel.error ? <span className="status-error"> {describeError(cancel.error)}</span> : null}
    </>
  );
}

function ReplayEvents({ id }: { id: string }) {
  const events = useQuery({ queryKey: ['replay-events', id], queryFn: () => getReplayEvents(id) });
  const list = events.data ?? [];
  const timeline = useMemo(() => list.map(toTimelineRecord), [list]);
  const layout = useMemo(() => layoutTimeline(timeline, 'causal'), [timeline]);
  const typeIndex = useMemo(() => Int32Array.from(list, () => 0), [list]);
  const mask = useMemo(() => new Uint8Array(list.length).fill(1), [list]);
  if (list.length === 0) return <p className="muted">The replay produced no events.</p>;
  return (
    <div className="timeline-body" style={{ gridTemplateColumns: '1fr', minHeight: 200 }}>
      <TimelineCanvas layout={layout} collapsed={new Set()} types={['replay']} typeIndex={typeIndex} cone={null} mask={mask} selected={-1} brush={null} onSelect={() => undefined} onBrush={() => undefined} />
    </div>
  );
}

export default function ReplayPage(props: { replayId?: string }) {
  const location = useLocation();
  const id = props.replayId ?? decodeURIComponent(location.pathname.split('/').pop() ?? '');
  const replay = useReplayStatus(id);
  const r = replay.data;
  if (replay.error) return <section className="replay-page status-error">{describeError(replay.error)}</section>;
  if (!r) return <section className="replay-page muted">Loading the replay…</section>;
  return (
    <section className="replay-page" aria-label="Replay">
      <h1>
        Replay of <Link to={flowPath(r.flowId)}>{r.flowId}</Link> revision {r.revision ?? 'latest'}
      </h1>
      <p className="muted">
        {r.mode === 'dry-run' ? 'dry-run: sinks recorded, nothing sent' : 'live: sinks sent'} · speed {r.speed === 'max' ? 'max' : `×${r.speed}`} ·{' '}
        {r.from ?? 'start'} → {r.to ?? 'now'}
      </p>
      <p role="status" data-state={r.state} data-stream={replay.stream}>
        {STATE_LABELS[r.state] ?? r.state} — {r.processed} of {r.input} inputs
        <br />
        <progress className="replay-progress" max={Math.max(1, r.input)} value={r.state === 'done' ? Math.max(1, r.input) : r.processed} />
      </p>
      {r.state === 'running' ? <CancelButton id={r.id} /> : null}
      {r.state === 'cancelled' ? (
        <p className="muted" data-testid="replay-partial">
          Cancelled: the diff covers the {r.processed} inputs handled before it stopped.
        </p>
      ) : null}
      {r.error ? <p className="status-error">{r.error}</p> : null}
      {r.notes.map((note) => (
        <p key={note} className="muted" data-testid="replay-note">
          Note: {note}
        </p>
      ))}
      {r.state !== 'running' ? (
        <>
          <Summary diff={r.diff} />
          {r.mode === 'dry-run' ? <p className="muted">{r.effects} side effects recorded instead of sent.</p> : null}
          <h2>Per node</h2>
          <table className="diff-table">
            <thead>
              <tr>
                <th>node</th>
                <th>identical</th>
                <th>changed</th>
                <th>missing</th>
                <th>extra</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(r.byNode).map(([node, d]) => (
                <tr key={node}>
                  <td>{node}</td>
                  <td>{d.identical}</td>
                  <td>{d.changed}</td>
                  <td>{d.missing}</td>
                  <td>{d.extra}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Differences</h2>
          {r.changes.length === 0 ? (
            <p>Every output is identical to the original.</p>
          ) : (
            <table className="diff-table">
              <thead>
                <tr>
                  <th>status</th>
                  <th>node</th>
                  <th>input</th>
                  <th>fields</th>
                </tr>
              </thead>
              <tbody>
                {r.changes.map((c) => (
                  <tr key={`${c.status}-${c.nodeId}-${c.causationId}-${c.index}`}>
                    <td className={`diff-${c.status}`}>{c.status}</td>
                    <td>{c.nodeId}</td>
                    <td title={c.causationId}>{c.causationId.slice(0, 13)}…</td>
                    <td>
                      {c.fields.map((f) => (
                        <div key={f.path}>
                          <code>{f.path}</code>: {show(f.original)} → {show(f.replayed)}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {r.changesTruncated ? <p className="muted">Only the first {r.changes.length} differences are listed.</p> : null}
          <h2>The replay's events</h2>
          <ReplayEvents id={r.id} />
        </>
      ) : null}
    </section>
  );
}
