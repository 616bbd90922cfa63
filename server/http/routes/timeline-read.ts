/**
 * Pages of the timeline read from the store, forwards from a position or backwards from one (newest first).
 * Reading backwards goes one window of `limit` positions at a time, so each page costs one bounded read; a page
 * may then hold fewer than `limit` events (other namespaces, filters, a text search) and `next` says where to go
 * on. A text search keeps the events whose payload JSON holds the text, case-insensitively. Replay and import
 * namespaces are never read: only live events.
 */
import type { StoredEvent } from '../../../shared/event.js';
import { readPages } from '../../store/read-pages.js';
import type { EventFilter, EventStore } from '../../store/types.js';

export interface TimelineRead {
  filter: Omit<EventFilter, 'namespace'>;
  limit: number;
  /** Case-insensitive text searched in the payload's JSON. */
  text?: string;
  /** Forwards: events after this position. */
  after?: number;
  /** Backwards: events before this position (default: the newest). */
  before?: number;
  order: 'oldest' | 'newest';
}

export interface TimelineSlice {
  /** In position order. */
  events: StoredEvent[];
  next: number | null;
}

/** Live events with `after` < position ≤ `upTo` (all of them when `upTo` is undefined), at most `limit`. */
async function readRange(store: EventStore, filter: EventFilter, after: number, limit: number, upTo?: number): Promise<{ events: StoredEvent[]; exhausted: boolean }> {
  const events: StoredEvent[] = [];
  for await (const page of readPages(store, { ...filter, after }, limit)) {
    for (const e of page) {
      if (upTo !== undefined && e.position > upTo) return { events, exhausted: true };
      if (events.length === limit) return { events, exhausted: false };
      events.push(e);
    }
  }
  return { events, exhausted: true };
}

const payloadMatcher = (text: string | undefined) => {
  if (text === undefined) return null;
  const needle = text.toLowerCase();
  return (e: StoredEvent) => (JSON.stringify(e.data) ?? '').toLowerCase().includes(needle);
};

export async function readTimeline(store: EventStore, read: TimelineRead): Promise<TimelineSlice> {
  const filter: EventFilter = { ...read.filter };
  const keep = payloadMatcher(read.text);
  if (read.order === 'oldest') {
    const after = read.after ?? 0;
    const { events, exhausted } = await readRange(store, filter, after, read.limit);
    const last = events[events.length - 1];
    return { events: keep ? events.filter(keep) : events, next: exhausted || !last ? null : last.position };
  }
  const top = read.before === undefined ? await store.head() : Math.min(read.before - 1, await store.head());
  const bottom = Math.max(0, top - read.limit);
  const { events } = await readRange(store, filter, bottom, read.limit, top);
  return { events: keep ? events.filter(keep) : events, next: bottom > 0 ? bottom + 1 : null };
}
