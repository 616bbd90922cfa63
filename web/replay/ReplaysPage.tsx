/**
 * The replays, newest first: the flow by name, the revision it ran, its range, dry-run or live, its state, the
 * diff counts and who started it. Each opens its page; a running one can be cancelled from here. The list is
 * read again every two seconds while one of them runs, so progress and ends show without a reload.
 */
import { useQuery } from '@tanstack/react-query';
import type { ReplaySummary } from '../../shared/api/replays.js';
import { describeError } from '../api/client.js';
import { replayPath } from '../app/routes.js';
import { Link } from '../app/router.js';
import '../timeline/timeline.css';
import { listReplays } from './api.js';
import { CancelButton } from './CancelButton.js';
import { flowText, modeText, rangeText, revisionText, startedByText, STATE_LABELS } from './replay-text.js';

const REFRESH_MS = 2000;

function Row({ r }: { r: ReplaySummary }) {
  return (
    <tr data-replay={r.id} data-state={r.state}>
      <td>
        <time dateTime={r.startedAt}>{new Date(r.startedAt).toLocaleString()}</time>
      </td>
      <td>
        <Link to={replayPath(r.id)} aria-label={`Replay of ${flowText(r)} started ${r.startedAt}`}>
          {flowText(r)}
        </Link>
      </td>
      <td>{revisionText(r)}</td>
      <td>{rangeText(r)}</td>
      <td className={r.mode === 'live' ? 'status-error' : undefined}>{modeText(r)}</td>
      <td>
        {STATE_LABELS[r.state]}
        {r.state === 'running' ? ` (${r.processed} of ${r.input})` : ''}
        {r.state === 'running' ? (
          <>
            {' '}
            <CancelButton id={r.id} label="Cancel" />
          </>
        ) : null}
      </td>
      <td className="diff-counts" aria-label={`identical ${r.diff.identical}, changed ${r.diff.changed}, missing ${r.diff.missing}, extra ${r.diff.extra}`}>
        <span className="diff-identical">{r.diff.identical}</span> <span className="diff-changed">{r.diff.changed}</span> <span className="diff-missing">{r.diff.missing}</span>{' '}
        <span className="diff-extra">{r.diff.extra}</span>
      </td>
      <td>{startedByText(r)}</td>
    </tr>
  );
}

export default function ReplaysPage() {
  const replays = useQuery({
    queryKey: ['replays'],
    queryFn: listReplays,
    refetchInterval: (q) => (q.state.data?.some((r) => r.state === 'running') ? REFRESH_MS : false),
  });
  const list = replays.data ?? [];
  return (
    <section className="page replays-page" aria-label="Replays">
      <header className="page-header">
        <h1>Replays</h1>
        <span className="muted">Start one from the timeline: select a range (shift-drag) or an event's chain, then Replay.</span>
      </header>
      {replays.error ? <p className="status-error">{describeError(replays.error)}</p> : null}
      {replays.isLoading ? <p className="muted">Loading the replays…</p> : null}
      {!replays.isLoading && !replays.error && list.length === 0 ? <p className="empty-state">No replays yet.</p> : null}
      {list.length > 0 ? (
        <table className="flows-table replays-table">
          <thead>
            <tr>
              <th>started</th>
              <th>flow</th>
              <th>revision</th>
              <th>range</th>
              <th>mode</th>
              <th>status</th>
              <th title="identical · changed · missing · extra">diff</th>
              <th>by</th>
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <Row key={r.id} r={r} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
