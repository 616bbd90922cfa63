/**
 * The vector-clock operations of the server that weigh one clock against another, counted: `compare` (how two clocks
 * stand, as the memory store's causality answers ask of every event) and `merge` and `receive` (the pointwise maximum
 * an event's clock makes with the clock of the process receiving it). They are shared/clock.ts's functions, each call
 * counted here so that shared/ stays pure; /metrics reports the counts as `vector_clock_comparisons_total`.
 *
 * The counts are the process's: a few numbers added to on the hot path, read when metrics are scraped.
 */
import { compare as compareClocks, merge as mergeClocks, receive as receiveClock, type Order, type VectorClock } from '../shared/clock.js';

export type ClockOperation = 'compare' | 'merge';

const counts: Record<ClockOperation, number> = { compare: 0, merge: 0 };

/** How `a` stands to `b` (shared/clock.ts's `compare`), counted. */
export function compare(a: VectorClock, b: VectorClock): Order {
  counts.compare++;
  return compareClocks(a, b);
}

/** The pointwise maximum of two clocks (shared/clock.ts's `merge`), counted. */
export function merge(a: VectorClock, b: VectorClock): VectorClock {
  counts.merge++;
  return mergeClocks(a, b);
}

/** `process` receives an event stamped `received`: merge, then tick (shared/clock.ts's `receive`), counted as a merge. */
export function receive(local: VectorClock, received: VectorClock, process: string): VectorClock {
  counts.merge++;
  return receiveClock(local, received, process);
}

/** The comparisons this process has made so far, by operation. */
export function clockComparisons(): Readonly<Record<ClockOperation, number>> {
  return { ...counts };
}
