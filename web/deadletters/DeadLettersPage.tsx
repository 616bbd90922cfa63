/**
 * The dead letters: the inputs nodes failed on, across flows or filtered (flow, node, error code, time — kept in the
 * URL, so the editor's error count opens it filtered to one node), each with its time, node, error and input (linked
 * to the timeline and to the node in the editor), and what its last re-drive did. Selected letters are re-driven
 * through a revision (RedrivePanel.tsx): the outcomes of the last run show beside each.
 */
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { DeadLetter, RedriveEntry, RedriveResult } from '../../shared/api/deadletters.js';
import { describeError } from '../api/client.js';
import { listFlows } from '../api/flows.js';
import { Link, navigate, useLocation } from '../app/router.js';
import { deadLettersPath, flowNodePath, flowPath, timelineEventPath } from '../app/routes.js';
import { EMPTY_FILTER, filterQuery, listDeadLetters, type DeadLetterFilter } from './api.js';
import { RedrivePanel } from './RedrivePanel.js';
import './deadletters.css';

/** A datetime-local value as RFC 3339 (UTC), and back. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : '');
const toLocal = (iso: string) => {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

function Filters({ filter, onChange }: { filter: DeadLetterFilter; onChange: (next: DeadLetterFilter) => void }) {
  const flows = useQuery({ queryKey: ['flows'], queryFn: listFlows });
  const set = (field: keyof DeadLetterFilter, value: string) => onChange({ ...filter, [field]: value });
  return (
    <form className="page-header deadletter-filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        Flow{' '}
        <select value={filter.flowId} onChange={(e) => set('flowId', e.target.value)} aria-label="Flow">
          <option value="">All flows</option>
          {(flows.data ?? []).map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
          {filter.flowId && !flows.data?.some((f) => f.id === filter.flowId) ? <option value={filter.flowId}>{filter.flowId}</option> : null}
        </select>
      </label>
      <label>
        Node <input value={filter.nodeId} onChange={(e) => set('nodeId', e.target.value)} aria-label="Node" style={{ width: 100 }} />
      </label>
      <label>
        Error code <input value={filter.code} onChange={(e) => set('code', e.target.value)} aria-label="Error code" style={{ width: 100 }} />
      </label>
      <label>
        From <input type="datetime-local" value={toLocal(filter.from)} onChange={(e) => set('from', toIso(e.target.value))} aria-label="From" />
      </label>
      <label>
        To <input type="datetime-local" value={toLocal(filter.to)} onChange={(e) => set('to', toIso(e.target.value))} aria-label="To" />
      </label>
    </form>
  );
}

/** A letter's outcome: from the last re-drive run here, else the last one recorded. */
function Outcome({ letter, ran }: { letter: DeadLetter; ran: { mode: string; entry: RedriveEntry } | undefined }) {
  if (ran) {
    const would = ran.mode === 'dry-run';
    if (ran.entry.outcome === 'redriven') return <span className="outcome-redriven">{would ? 'would be re-driven' : 're-driven'} ({ran.entry.outputs.length} out)</span>;
    return (
      <span className="status-error">
        {would ? 'would fail again' : 'failed again'}: {ran.entry.error?.code} {ran.entry.error?.message}
      </span>
    );
  }
  const o = letter.outcome;
  if (!o) return <span className="muted">—</span>;
  if (o.outcome === 'redriven') return <span className="outcome-redriven">re-driven (rev {o.revision})</span>;
  return (
    <span className="status-error">
      failed again (rev {o.revision}): {o.error?.code} {o.error?.message}
    </span>
  );
}

export default function DeadLettersPage() {
  const { search } = useLocation();
  const filter: DeadLetterFilter = {
    flowId: search.get('flowId') ?? '',
    nodeId: search.get('nodeId') ?? '',
    code: search.get('code') ?? '',
    from: search.get('from') ?? '',
    to: search.get('to') ?? '',
  };
  const queryKey = ['deadletters', filterQuery(filter)];
  const client = useQueryClient();
  // A page scans a bounded stretch of the log; each next page goes on after it.
  const letters = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => listDeadLetters(filter, pageParam || undefined),
    initialPageParam: 0,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [ran, setRan] = useState<{ mode: string; entries: Map<string, RedriveEntry> } | null>(null);
  const list = useMemo(() => letters.data?.pages.flatMap((page) => page.deadLetters) ?? [], [letters.data]);
  const chosen = list.filter((l) => selected.has(l.id));
  const flows = new Set(chosen.map((l) => l.flowId)).size;

  const changeFilter = (next: DeadLetterFilter) => {
    const query = filterQuery({ ...EMPTY_FILTER, ...next }).replace(/(^|&)limit=\d+/, '');
    navigate(query ? `/deadletters?${query}` : deadLettersPath(), { replace: true });
  };
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const onResult = (result: RedriveResult) => {
    setRan({ mode: result.mode, entries: new Map(result.entries.map((e) => [e.deadLetterId, e])) });
    if (result.mode === 'live') void client.invalidateQueries({ queryKey: ['deadletters'] });
  };

  return (
    <section className="page deadletters-page" aria-label="Dead letters">
      <h1>Dead letters</h1>
      <Filters filter={filter} onChange={changeFilter} />
      <RedrivePanel ids={chosen.map((l) => l.id)} flows={flows} onResult={onResult} />
      {letters.error ? <p className="status-error">{describeError(letters.error)}</p> : null}
      {letters.isPending ? <p className="muted">Loading the dead letters…</p> : null}
      {letters.data && list.length === 0 ? <p className="muted">No dead letters{filter.flowId || filter.nodeId || filter.code ? ' match these filters' : ''}.</p> : null}
      {list.length > 0 ? (
        <table className="deadletter-table">
          <thead>
            <tr>
              <th>
                <input
                  type="checkbox"
                  aria-label="Select all"
                  checked={chosen.length === list.length}
                  onChange={(e) => setSelected(e.target.checked ? new Set(list.map((l) => l.id)) : new Set())}
                />
              </th>
              <th>time</th>
              <th>flow</th>
              <th>node</th>
              <th>error</th>
              <th>input</th>
              <th>outcome</th>
            </tr>
          </thead>
          <tbody>
            {list.map((l) => (
              <tr key={l.id} data-testid={`deadletter-${l.id}`}>
                <td>
                  <input type="checkbox" aria-label={`Select dead letter ${l.id}`} checked={selected.has(l.id)} onChange={() => toggle(l.id)} />
                </td>
                <td>{l.time}</td>
                <td>{l.flowId ? <Link to={flowPath(l.flowId)}>{l.flowId}</Link> : '—'}</td>
                <td>{l.flowId && l.nodeId ? <Link to={flowNodePath(l.flowId, l.nodeId)}>{l.nodeName || l.nodeId}</Link> : (l.nodeId ?? '—')}</td>
                <td>
                  <code>{l.error.code}</code> {l.error.message}
                </td>
                <td>{l.input ? <Link to={timelineEventPath(l.input.id)} title={l.input.id}>{l.input.type}</Link> : '—'}</td>
                <td data-testid="deadletter-outcome">
                  <Outcome letter={l} ran={ran?.entries.has(l.id) ? { mode: ran.mode, entry: ran.entries.get(l.id)! } : undefined} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {letters.hasNextPage ? (
        <p className="muted">
          {list.length} shown; there may be more.{' '}
          <button type="button" onClick={() => void letters.fetchNextPage()} disabled={letters.isFetchingNextPage}>
            {letters.isFetchingNextPage ? 'Loading…' : 'Show more'}
          </button>
        </p>
      ) : null}
    </section>
  );
}
