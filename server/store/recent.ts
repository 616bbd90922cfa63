/**
 * The events this process committed most recently, in position order, so that subscribers — above all the runtime
 * following the log it just appended to — are served from memory instead of reading back and parsing rows.
 * It vouches for a range: every event committed with a position in (`coveredAfter`, `head`] is held. Anything it
 * cannot vouch for (older positions, another connection's writes, a dropped namespace) makes `page` answer null, and
 * the caller reads the database.
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

export class RecentEvents {
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

  /** A committed transaction's events (ascending positions) and the head after it. */
  add(events: Held[], head: number): void {
    for (const e of events) this.held.push(e); // no spread: a batch may hold more events than a call takes arguments
    this.top = head;
    const excess = this.held.length - this.first - this.capacity;
    if (excess > 0) {
      this.first += excess;
      this.coveredAfter = this.held[this.first - 1]!.event.position;
      if (this.first > this.capacity) {
        this.held = this.held.slice(this.first);
        this.first = 0;
      }
    }
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
