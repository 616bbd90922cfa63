/**
 * The event a link names (`/timeline?event=<id>`) lands selected, in view, with the inspector showing it. Found
 * among the loaded events, it is brought into view as soon as it is there; not among them once every page is in
 * (older than the loaded window), it is read with its neighbours, added to the diagram, and the view moves to
 * its time. Selecting another event replaces the link, so the address always names what is shown.
 */
import { useEffect, useRef, useState } from 'react';
import { StoredEventSchema } from '../../shared/event.js';
import type { TimelineRecord } from '../../shared/timeline-page.js';
import { describeError, getJson } from '../api/client.js';
import { navigate, useLocation } from '../app/router.js';
import { loadRecordPage } from './api.js';

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
}

export function useEventFromUrl({ events, loading, backfilling, selectedId, setSelectedId, addRecords }: Inputs): EventLanding {
  const linked = useLocation().search.get('event');
  const [pending, setPending] = useState<string | null>(null);
  const [focus, setFocus] = useState<EventLanding['focus']>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const fetching = useRef<string | null>(null);

  // A link that names an event other than the one shown selects it and asks for it to be brought into view.
  useEffect(() => {
    if (!linked || linked === selectedId) return;
    setSelectedId(linked);
    setPending(linked);
    setProblem(null);
    // Only a change of the link selects; the selection changing alone does not.
  }, [linked]);

  useEffect(() => {
    if (!pending) return;
    if (events.some((e) => e.id === pending)) {
      setFocus((f) => ({ id: pending, key: (f?.key ?? 0) + 1 }));
      setPending(null);
      return;
    }
    if (loading || backfilling || fetching.current === pending) return;
    const id = pending;
    fetching.current = id;
    neighbourhoodOf(id)
      .then((records) => {
        if (fetching.current !== id) return;
        if (!records.some((r) => r.id === id)) {
          // Stored, but not among the live events the timeline draws (an import's, say): the inspector shows it.
          setPending(null);
          setProblem(`event ${id} is not on the live timeline`);
          return;
        }
        addRecords(records);
      })
      .catch((error: unknown) => {
        if (fetching.current !== id) return;
        setPending(null);
        setProblem(`event ${id}: ${describeError(error)}`);
      });
  }, [pending, events, loading, backfilling, addRecords]);

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

/** The event and up to NEIGHBOURS events either side of it, as the timeline holds them. */
async function neighbourhoodOf(id: string): Promise<TimelineRecord[]> {
  const event = await getJson(`/api/events/${encodeURIComponent(id)}`, StoredEventSchema);
  const [before, after] = await Promise.all([
    loadRecordPage({ order: 'newest', before: event.position + 1, limit: NEIGHBOURS + 1 }),
    loadRecordPage({ order: 'oldest', after: event.position, limit: NEIGHBOURS }),
  ]);
  return [...before.records, ...after.records];
}
