/**
 * The events on the timeline: loaded page by page, then followed live over SSE (`/api/events/live`). While
 * paused, new events wait in a buffer and join when resumed. Arrivals are applied at most every 250 ms so a
 * fast stream does not re-layout on every event.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StoredEvent } from '../../shared/event.js';
import { describeError } from '../api/client.js';
import { loadEvents } from './api.js';

/** The most events the timeline holds. */
export const MAX_EVENTS = 200_000;
const APPLY_EVERY_MS = 250;

export interface TimelineEvents {
  events: StoredEvent[];
  loading: boolean;
  error: string | null;
  live: boolean;
  paused: boolean;
  pending: number;
  setPaused(paused: boolean): void;
  reload(): void;
}

export function useTimelineEvents(): TimelineEvents {
  const [events, setEvents] = useState<StoredEvent[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [paused, setPausedState] = useState(false);
  const [pending, setPending] = useState(0);
  const [generation, setGeneration] = useState(0);
  const buffer = useRef<StoredEvent[]>([]);
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
    setLoading(true);
    setError(null);
    loadEvents(MAX_EVENTS)
      .then((loaded) => {
        if (closed) return;
        setEvents(loaded);
        setLoading(false);
        const after = loaded[loaded.length - 1]?.position ?? 0;
        source = new EventSource(`/api/events/live?after=${after}`);
        source.addEventListener('event', (e) => {
          try {
            buffer.current.push(JSON.parse((e as MessageEvent<string>).data) as StoredEvent);
            setPending(buffer.current.length);
          } catch {
            /* a malformed message is skipped */
          }
        });
        source.onopen = () => setLive(true);
        source.onerror = () => setLive(false);
      })
      .catch((e: unknown) => {
        if (closed) return;
        setError(describeError(e));
        setLoading(false);
      });
    const timer = setInterval(flush, APPLY_EVERY_MS);
    return () => {
      closed = true;
      clearInterval(timer);
      source?.close();
    };
  }, [generation, flush]);

  const setPaused = useCallback(
    (p: boolean) => {
      pausedRef.current = p;
      setPausedState(p);
      if (!p) flush();
    },
    [flush],
  );
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { events, loading, error, live, paused, pending, setPaused, reload };
}
