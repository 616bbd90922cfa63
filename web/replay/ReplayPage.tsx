/**
 * A replay: progress while it runs (streamed from the server), with a button that cancels it, then replayed
 * against original per node — identical / changed / missing / extra — on a drawing of the flow it ran and in a
 * table, with each change's events side by side, and the replay's own events in their own diagram. Nodes are
 * named, ids are whole and copyable, and each event of the store opens in the timeline, each node in the editor.
 * A cancelled replay shows the diff of the inputs it handled.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { DiffSummary, ReplayStatus } from '../../shared/api/replays.js';
import { toTimelineRecord } from '../../shared/timeline-page.js';
import { getFlow, getRevision } from '../api/flows.js';
import { describeError } from '../api/client.js';
import { flowNodePath, flowPath } from '../app/routes.js';
import { Link, useLocation } from '../app/router.js';
import { layoutTimeline } from '../timeline/layout.js';
import { TimelineCanvas } from '../timeline/TimelineCanvas.js';
import '../timeline/timeline.css';
import { getReplayEvents } from './api.js';
import { CancelButton } from './CancelButton.js';
import { ChangesTable } from './ChangesTable.js';
import { CopyId } from './CopyId.js';
import { rangeText, revisionText, startedByText, STATE_LABELS } from './replay-text.js';
import { changesOf, nameOf, nodeNames } from './replay-view.js';
import { ReplayFlow } from './ReplayFlow.js';
import { useReplayStatus } from './useReplayStatus.js';

function Summary({ diff, testId = 'diff-summary' }: { diff: DiffSummary; testId?: string }) {
  return (
    <p className="diff-summary" data-testid={testId}>
      <span className="diff-identical">identical {diff.identical}</span>
      <span className="diff-changed">changed {diff.changed}</span>
      <span className="diff-missing">missing {diff.missing}</span>
      <span className="diff-extra">extra {diff.extra}</span>
    </p>
  );
}

const NO_DIFF: DiffSummary = { identical: 0, changed: 0, missing: 0, extra: 0 };

function ReplayEvents({ list }: { list: ReturnType<typeof useReplayEvents>['data'] }) {
  const events = list ?? [];
  const timeline = useMemo(() => events.map(toTimelineRecord), [events]);
  const layout = useMemo(() => layoutTimeline(timeline, 'causal'), [timeline]);
  const typeIndex = useMemo(() => Int32Array.from(events, () => 0), [events]);
  const mask = useMemo(() => new Uint8Array(events.length).fill(1), [events]);
  if (events.length === 0) return <p className="muted">The replay produced no events.</p>;
  return (
    <div className="timeline-body" style={{ gridTemplateColumns: '1fr', minHeight: 200 }}>
      <TimelineCanvas layout={layout} collapsed={new Set()} types={['replay']} typeIndex={typeIndex} cone={null} mask={mask} selected={-1} brush={null} onSelect={() => undefined} onBrush={() => undefined} />
    </div>
  );
}

const useReplayEvents = (id: string, enabled: boolean) => useQuery({ queryKey: ['replay-events', id], queryFn: () => getReplayEvents(id), enabled });

/** The revision the replay ran; the flow's latest until the run has read which one that is. */
const useReplayedFlow = (r: ReplayStatus | undefined) =>
  useQuery({
    queryKey: ['replay-flow', r?.flowId, r?.revision],
    queryFn: () => (r!.revision === null ? getFlow(r!.flowId) : getRevision(r!.flowId, r!.revision)),
    enabled: r !== undefined,
    staleTime: Infinity,
    retry: false,
  });

export default function ReplayPage(props: { replayId?: string }) {
  const location = useLocation();
  const id = props.replayId ?? decodeURIComponent(location.pathname.split('/').pop() ?? '');
  const replay = useReplayStatus(id);
  const r = replay.data;
  const flow = useReplayedFlow(r);
  const ended = r !== undefined && r.state !== 'running';
  const events = useReplayEvents(id, ended);
  const [node, setNode] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const names = useMemo(() => nodeNames(flow.data?.nodes), [flow.data]);
  if (replay.error) return <section className="replay-page status-error">{describeError(replay.error)}</section>;
  if (!r) return <section className="replay-page muted">Loading the replay…</section>;
  const flowName = flow.data?.name || r.flowName || r.flowId;
  const shownChanges = changesOf(r.changes, node);
  return (
    <section className="replay-page" aria-label="Replay">
      <h1>
        Replay of <Link to={flowPath(r.flowId)}>{flowName}</Link> {revisionText(r)}
      </h1>
      <p className="muted">
        {r.mode === 'dry-run' ? 'dry-run: sinks recorded, nothing sent' : 'live: sinks sent'} · speed {r.speed === 'max' ? 'max' : `×${r.speed}`} · {rangeText(r)} · started{' '}
        {new Date(r.startedAt).toLocaleString()} by {startedByText(r)}
      </p>
      <p className="muted">
        Replay <CopyId id={r.id} label="replay id" /> · flow <CopyId id={r.flowId} label="flow id" />
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
      {ended ? <Summary diff={r.diff} /> : null}
      {ended && r.mode === 'dry-run' ? <p className="muted">{r.effects} side effects recorded instead of sent.</p> : null}
      <h2>Per node</h2>
      {flow.data ? <ReplayFlow flow={flow.data} tallies={r.byNode} selected={node} onSelect={setNode} /> : null}
      {flow.error ? <p className="muted">The flow could not be read ({describeError(flow.error)}): nodes are shown by id.</p> : null}
      {node !== null ? (
        <div className="replay-node" aria-label="Selected node" role="region">
          <strong>{nameOf(names, node)}</strong> <span className="muted">({node})</span> <Link to={flowNodePath(r.flowId, node)}>Open node in the editor</Link>{' '}
          <button type="button" className="small" onClick={() => setNode(null)}>
            Show every node
          </button>
          <Summary diff={r.byNode[node] ?? NO_DIFF} testId="node-summary" />
        </div>
      ) : null}
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
          {Object.entries(r.byNode).map(([nodeId, d]) => (
            <tr key={nodeId} aria-selected={node === nodeId}>
              <td>
                <button type="button" className="link-button" onClick={() => setNode(node === nodeId ? null : nodeId)} title={nodeId}>
                  {nameOf(names, nodeId)}
                </button>
              </td>
              <td>{d.identical}</td>
              <td>{d.changed}</td>
              <td>{d.missing}</td>
              <td>{d.extra}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {ended ? (
        <>
          <h2>Differences{node !== null ? ` of ${nameOf(names, node)}` : ''}</h2>
          {shownChanges.length === 0 ? (
            <p>Every output {node !== null ? 'of this node ' : ''}is identical to the original.</p>
          ) : (
            <ChangesTable flowId={r.flowId} changes={shownChanges} names={names} replayed={events.data} open={open} onOpen={setOpen} />
          )}
          {r.changesTruncated ? <p className="muted">Only the first {r.changes.length} differences are listed.</p> : null}
          <h2>The replay's events</h2>
          <ReplayEvents list={events.data} />
        </>
      ) : null}
    </section>
  );
}
