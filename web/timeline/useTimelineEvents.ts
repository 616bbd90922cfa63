/**
 * The events on the timeline, in position order, without payloads (shared/timeline-page.ts): the newest page
 * first, so the diagram paints as soon as it is laid out, then older pages going back while they stream in
 * (each requested before the previous one is applied), then followed live over SSE (`/api/events/live`, from
 * the newest loaded position). While paused, new events wait in a buffer and join when resumed. Arrivals are
 * applied at most every 250 ms so a fast stream does not re-layout on every event. An imported execution is read
 * alone and whole, oldest first, and not followed: nothing is ever added to it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StoredEvent } from '../../shared/event.js';
import { toTimelineRecord, type TimelineRecord } from '../../shared/timeline-page.js';
import { describeError, openEventStream } from '../api/client.js';
import { loadRecordPage, type ExecutionScope, type RecordPage } from './api.js';
import { mergeRecords } from './merge-records.js';

/** The most events the timeline holds. */
export const MAX_EVENTS = 200_000;
/** The newest page, drawn first: small, so the first paint comes early. */
export const FIRST_PAGE = 10_000;
/** The older pages behind it. */
export const OLDER_PAGE = 45_000;
const APPLY_EVERY_MS = 250;

export interface TimelineEvents {
  events: TimelineRecord[];
  /** The epoch ms the time axis counts from, fixed once the first page is in, so older pages do not move it. */
  origin: number | undefined;
  /** True until the first page is in. */
  loading: boolean;
  /** True while older pages are still coming. */
  backfilling: boolean;
  /** How many history pages have been applied (the view follows them until the user moves it). */
  pages: number;
  error: string | null;
  live: boolean;
  paused: boolean;
  pending: number;
  setPaused(paused: boolean): void;
  reload(): void;
  /** Counts reloads (an import, a reload): whatever depends on the whole store reads it again. */
  generation: number;
  /** Adds events read apart from the pages (an event a link names, with its neighbours), in position order. */
  addRecords(records: readonly TimelineRecord[]): void;
}

const earliest = (records: readonly TimelineRecord[]) => records.reduce((t, r) => Math.min(t, r.time), Infinity);

/** Loads an imported execution page after page, oldest first, up to MAX_EVENTS. */
async function loadExecution(execution: string, closed: () => boolean, add: (records: TimelineRecord[]) => void): Promise<void> {
  let after = 0;
  let held = 0;
  for (;;) {
    const page = await loadRecordPage({ order: 'oldest', after, limit: Math.min(OLDER_PAGE, MAX_EVENTS - held), execution });
    if (closed()) return;
    held += page.records.length;
    if (page.records.length > 0) add(page.records);
    if (page.next === null || held >= MAX_EVENTS) return;
    after = page.next;
  }
}

export function useTimelineEvents(execution: ExecutionScope = null): TimelineEvents {
  const [events, setEvents] = useState<TimelineRecord[]>([]);
  const [origin, setOrigin] = useState<number | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [backfilling, setBackfilling] = useState(true);
  const [pages, setPages] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [paused, setPausedState] = useState(false);
  const [pending, setPending] = useState(0);
  const [generation, setGeneration] = useState(0);
  const buffer = useRef<TimelineRecord[]>([]);
  const pausedRef = useRef(false);

  const flush = useCallback(() => {
    if (pausedRef.current || buffer.current.length === 0) return;
    const arrived = buffer.current;
    buffer.current = [];
    setPending(0);
    setEvents((current) => {
      const seen = new Set<number>();
      for (let i = Math.max(0, current.length - arrived.length - 1000); i < current.length; i++) seen.add(current[i]!.position);
      const fresh = arrived.filter((e) => !seen.has(e.position));
      const next = current.concat(fresh);
      return next.length > MAX_EVENTS ? next.slice(next.length - MAX_EVENTS) : next;
    });
  }, []);

  useEffect(() => {
    let closed = false;
    let source: EventSource | null = null;
    setEvents([]);
    setOrigin(undefined);
    setLoading(true);
    setBackfilling(true);
    setPages(0);
    setError(null);
    setLive(false);
    buffer.current = [];

    const follow = (after: number) => {
      if (closed || source) return;
      source = openEventStream(`/api/events/live?after=${after}`);
      source.addEventListener('event', (e) => {
        try {
          buffer.current.push(toTimelineRecord(JSON.parse((e as MessageEvent<string>).data) as StoredEvent));
          setPending(buffer.current.length);
        } catch {
          /* a malformed message is skipped */
        }
      });
      source.onopen = () => setLive(true);
      source.onerror = () => setLive(false);
    };

    const backfill = async () => {
      if (execution) {
        await loadExecution(execution, () => closed, (records) => {
          setOrigin((o) => o ?? earliest(records));
          setEvents((current) => current.concat(records));
          setPages((n) => n + 1);
          setLoading(false);
        });
        setLoading(false);
        setBackfilling(false);
        return;
      }
      let held = 0;
      let newest = 0;
      let request: Promise<RecordPage> = loadRecordPage({ order: 'newest', limit: FIRST_PAGE });
      for (;;) {
        const page = await request;
        if (closed) return;
        held += page.records.length;
        const more = page.next !== null && held < MAX_EVENTS;
        if (more) {
          request = loadRecordPage({ order: 'newest', before: page.next!, limit: Math.min(OLDER_PAGE, MAX_EVENTS - held) });
          request.catch(() => undefined); // seen when awaited; not unhandled if the page closes first
        }
        if (page.records.length > 0) {
          if (newest === 0) {
            newest = page.records[page.records.length - 1]!.position;
            const first = earliest(page.records);
            setOrigin((o) => o ?? first);
            follow(newest);
          }
          setEvents((current) => page.records.concat(current));
          setPages((n) => n + 1);
          setLoading(false);
        }
        if (!more) break;
      }
      follow(newest);
      setLoading(false);
      setBackfilling(false);
    };
    backfill().catch((e: unknown) => {
      if (closed) return;
      setError(describeError(e));
      setLoading(false);
      setBackfilling(false);
    });
    const timer = setInterval(flush, APPLY_EVERY_MS);
    return () => {
      closed = true;
      clearInterval(timer);
      source?.close();
    };
  }, [generation, flush, execution]);

  const setPaused = useCallback(
    (p: boolean) => {
      pausedRef.current = p;
      setPausedState(p);
      if (!p) flush();
    },
    [flush],
  );
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const addRecords = useCallback((records: readonly TimelineRecord[]) => setEvents((current) => mergeRecords(current, records)), []);
  return { events, origin, loading, backfilling, pages, error, live, paused, pending, generation, setPaused, reload, addRecords };
}
