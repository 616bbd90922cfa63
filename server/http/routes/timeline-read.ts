/**
 * Pages of the timeline read from the store, forwards from a position or backwards from one (newest first).
 * Reading backwards goes one window of `limit` positions at a time, so each page costs one bounded read; a page
 * may then hold fewer than `limit` events (other namespaces, filters, a text search) and `next` says where to go
 * on. A text search keeps the events whose payload JSON holds the text, case-insensitively (every character
 * literal: nothing is a wildcard). One namespace is read: the live events, or one imported execution; never a replay's.
 * The live events leave out those an import wrote among them before imports had executions of their own.
 *
 * A page of up to 50,000 events is read in slices of a few milliseconds each, and the read lets the event loop go
 * between them: however many large reads or searches run at once, other requests (`/api/health`, publishes) wait
 * for one slice of each at most, never for whole pages.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { StoredEvent } from '../../../shared/event.js';
import { isLegacyImported } from '../../imports/legacy.js';
import { LIVE, type EventFilter, type EventStore } from '../../store/index.js';

export interface TimelineRead {
  filter: Omit<EventFilter, 'namespace'>;
  /** Default the live events. */
  namespace?: string;
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

/**
 * How a large read shares the event loop: a slice of events at a time, letting go between slices. Each slice is
 * sized to take about `ms` to read and search, whatever the speed of the machine and the size of the events:
 * halved after a slow one, doubled after a quick one, from `min` to `max` events; the first is small, as many
 * reads may start in the same turn.
 */
export const SLICE = { ms: 4, min: 25, first: 50, max: 2000 } as const;

/**
 * Live events with `after` < position ≤ `upTo` (all of them when `upTo` is undefined), at most `limit`; those
 * `keep` keeps go to `take`, in position order; `last` is the position of the last one read.
 */
async function readRange(
  store: EventStore,
  filter: EventFilter,
  range: { after: number; limit: number; upTo?: number },
  keep: ((e: StoredEvent) => boolean) | null,
  take: (e: StoredEvent) => void,
): Promise<{ last: number | null; exhausted: boolean }> {
  const { limit, upTo } = range;
  let read = 0;
  let last: number | null = null;
  let size: number = SLICE.first;
  for (;;) {
    const started = performance.now();
    // One more than is left: whether another follows says if the range is exhausted.
    const asked = Math.min(size, limit - read + 1);
    const page = await store.read({ ...filter, after: last ?? range.after, limit: asked });
    for (const e of page) {
      if (upTo !== undefined && e.position > upTo) return { last, exhausted: true };
      if (read === limit) return { last, exhausted: false };
      read++;
      last = e.position;
      if (!keep || keep(e)) take(e);
    }
    if (page.length < asked) return { last, exhausted: true };
    const took = performance.now() - started;
    if (took > SLICE.ms) size = Math.max(SLICE.min, size >> 1);
    else if (took < SLICE.ms / 2) size = Math.min(SLICE.max, size * 2);
    await nextTurn();
  }
}

const payloadMatcher = (text: string | undefined) => {
  if (text === undefined) return null;
  const needle = text.toLowerCase();
  return (e: StoredEvent) => (JSON.stringify(e.data) ?? '').toLowerCase().includes(needle);
};

/**
 * What a page keeps: the events whose payload holds the text, if one is searched; of the live events, never those an
 * import wrote there before imports had executions of their own (they are read in their own import: legacy.ts).
 */
function keeperOf(read: TimelineRead): ((e: StoredEvent) => boolean) | null {
  const matches = payloadMatcher(read.text);
  if (read.namespace !== undefined && read.namespace !== LIVE) return matches;
  return matches ? (e) => !isLegacyImported(e) && matches(e) : (e) => !isLegacyImported(e);
}

/** The page `read` asks for: its events, in position order, each given to `take`; answers where the next page starts. */
export async function scanTimeline(store: EventStore, read: TimelineRead, take: (e: StoredEvent) => void): Promise<{ next: number | null }> {
  const filter: EventFilter = { ...read.filter, ...(read.namespace !== undefined ? { namespace: read.namespace } : {}) };
  const keep = keeperOf(read);
  if (read.order === 'oldest') {
    const { last, exhausted } = await readRange(store, filter, { after: read.after ?? 0, limit: read.limit }, keep, take);
    return { next: exhausted || last === null ? null : last };
  }
  const top = read.before === undefined ? await store.head() : Math.min(read.before - 1, await store.head());
  const bottom = Math.max(0, top - read.limit);
  await readRange(store, filter, { after: bottom, limit: read.limit, upTo: top }, keep, take);
  return { next: bottom > 0 ? bottom + 1 : null };
}

/** The page `read` asks for, its events held. */
export async function readTimeline(store: EventStore, read: TimelineRead): Promise<TimelineSlice> {
  const events: StoredEvent[] = [];
  const { next } = await scanTimeline(store, read, (e) => events.push(e));
  return { events, next };
}
