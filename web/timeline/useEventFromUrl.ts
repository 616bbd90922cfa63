/**
 * The event a link names (`/timeline?event=<id>`) lands selected, in view, with the inspector showing it. Found
 * among the loaded events, it is brought into view as soon as it is there; not among them once every page is in
 * (older than the loaded window), it is read with its neighbours from the execution shown, added to the diagram,
 * and the view moves to its time. An imported event linked without its execution (`execution=<id>`), while the
 * live events are shown, opens the execution that holds it, newest import first. Selecting another event replaces
 * the link, so the address always names what is shown.
 */
import { useEffect, useRef, useState } from 'react';
import type { TimelineRecord } from '../../shared/timeline-page.js';
import { ApiFailure, describeError } from '../api/client.js';
import { navigate, useLocation } from '../app/router.js';
import { executionHolding, getEvent, loadRecordPage, type ExecutionScope } from './api.js';

/** How many events either side of a linked event outside the loaded window are read with it. */
export const NEIGHBOURS = 200;

export interface EventLanding {
  /** The linked event to bring into view; `key` changes each time it should be brought again. */
  focus: { id: string; key: number } | null;
  /** What went wrong finding it, for the status line. */
  problem: string | null;
  /** Selects an event (or none) and names it in the address. */
  select(id: string | null): void;
}

interface Inputs {
  events: readonly TimelineRecord[];
  loading: boolean;
  backfilling: boolean;
  selectedId: string | null;
  setSelectedId(id: string | null): void;
  addRecords(records: readonly TimelineRecord[]): void;
  /** The execution shown, and how to show another one keeping the selection. */
  execution: ExecutionScope;
  openExecution(execution: string): void;
}

export function useEventFromUrl({ events, loading, backfilling, selectedId, setSelectedId, addRecords, execution, openExecution }: Inputs): EventLanding {
  const linked = useLocation().search.get('event');
  const [pending, setPending] = useState<string | null>(null);
  const [focus, setFocus] = useState<EventLanding['focus']>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const fetching = useRef<string | null>(null);
  const shownIn = useRef(execution);

  // A link that names an event other than the one shown selects it and asks for it to be brought into view.
  useEffect(() => {
    if (!linked || linked === selectedId) return;
    setSelectedId(linked);
    setPending(linked);
    setProblem(null);
    // Only a change of the link selects; the selection changing alone does not.
  }, [linked]);

  useEffect(() => {
    // Another execution picked: the events and loading state of this render are still the last one's.
    if (shownIn.current !== execution) {
      shownIn.current = execution;
      return;
    }
    if (!pending) return;
    if (events.some((e) => e.id === pending)) {
      setFocus((f) => ({ id: pending, key: (f?.key ?? 0) + 1 }));
      setPending(null);
      return;
    }
    if (loading || backfilling || fetching.current === pending) return;
    const id = pending;
    fetching.current = id;
    const fail = (message: string) => {
      setPending(null);
      setProblem(message);
    };
    landingOf(id, execution)
      .then((landing) => {
        if (fetching.current !== id) return;
        if (landing.kind === 'records') addRecords(landing.records);
        else if (landing.kind === 'execution') {
          // Read again in the execution that holds it, once its events are in.
          fetching.current = null;
          openExecution(landing.execution);
        } else fail(`event ${id} is not ${execution === null ? 'on the live timeline' : 'in this execution'}`);
      })
      .catch((error: unknown) => {
        if (fetching.current !== id) return;
        fail(`event ${id}: ${describeError(error)}`);
      });
  }, [pending, events, loading, backfilling, addRecords, execution]);

  const select = (id: string | null) => {
    setSelectedId(id);
    setPending(null);
    fetching.current = null;
    // The rest of the address (the view: useTimelineView.ts) stays as it is.
    const params = new URLSearchParams(window.location.search);
    if (id === null) params.delete('event');
    else params.set('event', id);
    const rest = params.toString();
    navigate(rest ? `/timeline?${rest}` : '/timeline', { replace: true });
  };

  return { focus, problem, select };
}

type Landing = { kind: 'records'; records: TimelineRecord[] } | { kind: 'execution'; execution: string } | { kind: 'missing' };

/**
 * Where a linked event not among the loaded ones is: read with up to NEIGHBOURS events either side of it from the
 * execution shown, or in an imported execution to open instead, or nowhere the timeline can show.
 */
async function landingOf(id: string, execution: ExecutionScope): Promise<Landing> {
  let position: number | null = null;
  try {
    position = (await getEvent(id, execution)).position;
  } catch (error) {
    if (!(error instanceof ApiFailure && error.status === 404)) throw error;
  }
  if (execution === null) {
    // Without `execution`, the server finds an imported id among the imports: that is not a live event.
    const holding = await executionHolding(id);
    if (holding !== null) return { kind: 'execution', execution: holding };
  }
  if (position === null) return { kind: 'missing' };
  const [before, after] = await Promise.all([
    loadRecordPage({ order: 'newest', before: position + 1, limit: NEIGHBOURS + 1, execution }),
    loadRecordPage({ order: 'oldest', after: position, limit: NEIGHBOURS, execution }),
  ]);
  const records = [...before.records, ...after.records];
  return records.some((r) => r.id === id) ? { kind: 'records', records } : { kind: 'missing' };
}
