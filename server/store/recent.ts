/**
 * The events this process committed most recently, in position order, so that subscribers — above all the runtime
 * following the log it just appended to — are served from memory instead of reading back and parsing rows.
 * It vouches for a range: every event committed with a position in (`coveredAfter`, `head`] is held. Anything it
 * cannot vouch for (older positions, another connection's writes, a dropped namespace) makes `page` answer null, and
 * the caller reads the database.
 *
 * It holds only what its readers have yet to read, up to `capacity` events: with no reader, nothing. An event held
 * for longer than a young-generation collection or two is copied by each of them and then kept by the old
 * generation, so under heavy ingest every event held "just in case" cost as much again in garbage collection.
 */
import type { StoredEvent } from '../../shared/event.js';
import { compileFilter } from './filter.js';
import type { Page } from './subscription.js';
import type { EventFilter } from './types.js';

interface Held {
  namespace: string;
  timeKey: string;
  event: StoredEvent;
}

/** A subscriber's place: the events after the position it last read from are held for it. */
export class Reader {
  constructor(
    private readonly recent: RecentEvents,
    /** The position it read after last. */
    public after: number,
  ) {}

  /** As RecentEvents.page; the events after `after` are held for this reader from now on. */
  page(namespace: string, filter: EventFilter, after: number, limit: number, matches = compileFilter(filter)): Page | null {
    this.after = after;
    return this.recent.page(namespace, filter, after, limit, matches);
  }

  /** It reads no more: nothing is held for it. */
  stop(): void {
    this.recent.readers.delete(this);
  }
}

export class RecentEvents {
  readonly readers = new Set<Reader>();
  private held: Held[] = [];
  private first = 0;
  private coveredAfter: number;
  private top: number;

  constructor(
    head: number,
    private readonly capacity = 50_000,
  ) {
    this.coveredAfter = head;
    this.top = head;
  }

  /** The highest position it vouches for. */
  get head(): number {
    return this.top;
  }

  /** A reader starting after `after`. */
  follow(after: number): Reader {
    const reader = new Reader(this, after);
    this.readers.add(reader);
    return reader;
  }

  /** A committed transaction's events (ascending positions) and the head after it. */
  add(events: Held[], head: number): void {
    for (const e of events) this.held.push(e); // no spread: a batch may hold more events than a call takes arguments
    this.top = head;
    let keepAfter = head;
    for (const reader of this.readers) if (reader.after < keepAfter) keepAfter = reader.after;
    let first = Math.max(this.first, this.held.length - this.capacity);
    while (first < this.held.length && this.held[first]!.event.position <= keepAfter) first++;
    if (first === this.first) return;
    this.coveredAfter = Math.max(this.coveredAfter, first < this.held.length ? this.held[first - 1]!.event.position : head);
    this.first = first;
    // What is let go must not stay reachable from the array: copy what is kept once half of it is let go.
    if (this.first === this.held.length) this.held = [];
    else if (this.first >= this.held.length / 2) this.held = this.held.slice(this.first);
    else return;
    this.first = 0;
  }

  /** Forget everything: from `head` on, what is committed is held again. */
  reset(head: number): void {
    this.held = [];
    this.first = 0;
    this.coveredAfter = head;
    this.top = head;
  }

  /** Matching events of `namespace` after `after`, or null when this cannot vouch for that range. */
  page(namespace: string, filter: EventFilter, after: number, limit: number, matches = compileFilter(filter)): Page | null {
    if (after < this.coveredAfter) return null;
    const events: StoredEvent[] = [];
    let i = this.indexAfter(after);
    for (; i < this.held.length && events.length < limit; i++) {
      const h = this.held[i]!;
      if (h.namespace === namespace && matches(h.event, h.timeKey)) events.push(h.event);
    }
    const upTo = events.length === limit ? events[events.length - 1]!.position : this.top;
    return { events, upTo };
  }

  /** The index of the first held event with a position above `after` (binary search). */
  private indexAfter(after: number): number {
    let lo = this.first;
    let hi = this.held.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.held[mid]!.event.position <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
