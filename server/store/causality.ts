/**
 * Causal past and future of an event from indexes, without comparing it with every stored event.
 *
 * For a well-formed history (each process counts its own events 1, 2, 3 … and an event's clock is at least the
 * clock of the previous event on its process), with own(f) = f.vectorClock[f.process] and missing entries 0:
 *
 * - f happened before e (f ≠ e) iff own(f) ≤ e.vectorClock[f.process]. So the past of e is, for each process p in
 *   e's clock, the events on p whose own counter lies in 1 … e.vc[p] (below own(e) on e's own process): ranges of
 *   an index on (namespace, process, own).
 * - e happened before f iff f.vc[e.process] ≥ own(e). On another process q, f.vc[p] never decreases as q's own
 *   counter grows, so the future of e on q is every event on q from the first one that knows own(e) of p on.
 *   Adapters find that first one in a side table of "clock entries": for events on q, the foreign entries
 *   (q, p, counter) at the points where they change.
 *
 * Own counters may have gaps and duplicates (events published with their own clocks, imports), so a range's
 * size is not to − from + 1. Adapters count it by two index seeks instead: each event keeps `seq`, its ordinal
 * among its process's events by (own, position), so the events with own in from … to number
 * seq(last with own ≤ to) − seq(last with own < from). An event that arrives after one of its process with a
 * higher own counter is late: the writer numbers that process's events from its own counter on again, in one
 * statement per process and group commit (the work grows with how far back it lands, nothing for events in order).
 *
 * Lists take the `limit` events nearest by position. Each event also has a lane: 0 when it is not late, else the
 * first lane whose highest own counter it does not go below (a new one when there is none). Within a lane,
 * (own, seq) order is position order, so the nearest `limit` of a range are among the first (or last) `limit` of
 * each of its lanes. Late arrivals from a few concurrent writers make a few lanes (see nearest.ts).
 */
import { counterOf, type VectorClock } from '../../shared/clock.js';

/** Events on `process` whose own counter is in `from … to` (inclusive). */
export interface OwnRange {
  process: string;
  from: number;
  to: number;
}

export const UNBOUNDED = Number.MAX_SAFE_INTEGER;

interface Stamped {
  process: string;
  vectorClock: VectorClock;
}

export const ownCounter = (e: Stamped): number => counterOf(e.vectorClock, e.process);

/**
 * The lane of a late event with own counter `own`, given the highest own counter of its process's lanes 1, 2, …:
 * the first it does not go below, or a new one.
 */
export function laneOf(lanes: readonly number[], own: number): number {
  const free = lanes.findIndex((top) => top <= own);
  return (free === -1 ? lanes.length : free) + 1;
}

/**
 * The lanes of late events listed by namespace and process, each process's in the order they arrived: each goes to
 * the first lane it keeps in order (as appends place them one by one).
 */
export function lanesOfLate(late: readonly { namespace: string; process: string; own: number }[]): number[] {
  let lanes: number[] = [];
  return late.map((event, i) => {
    const previous = late[i - 1];
    if (previous?.namespace !== event.namespace || previous.process !== event.process) lanes = [];
    const lane = laneOf(lanes, event.own);
    lanes[lane - 1] = event.own;
    return lane;
  });
}

/** The index ranges that hold exactly the causal past of `e`. */
export function pastRanges(e: Stamped): OwnRange[] {
  const ranges: OwnRange[] = [];
  for (const [process, counter] of Object.entries(e.vectorClock)) {
    const to = process === e.process ? counter - 1 : counter;
    if (to >= 1) ranges.push({ process, from: 1, to });
  }
  return ranges;
}

/**
 * The index ranges that hold exactly the causal future of `e`, given for each other process the lowest own
 * counter of its events that know own(e) (absent: none does).
 */
export function futureRanges(e: Stamped, firstKnowing: Iterable<{ process: string; first: number }>): OwnRange[] {
  const ranges: OwnRange[] = [{ process: e.process, from: ownCounter(e) + 1, to: UNBOUNDED }];
  for (const { process, first } of firstKnowing) {
    if (process !== e.process) ranges.push({ process, from: first, to: UNBOUNDED });
  }
  return ranges;
}

/**
 * The clock entries to record for a new event on `process`: its foreign entries that differ from `previous`,
 * the clock of the event just before it on that process. Without one (the first event, or one that arrives
 * after a later event of its process), every foreign entry: more entries than needed never give a wrong answer.
 */
export function clockEntries(clock: VectorClock, process: string, previous: VectorClock | null): [peer: string, counter: number][] {
  const entries: [string, number][] = [];
  for (const peer in clock) {
    const counter = clock[peer]!;
    if (peer === process || counter < 1 || !Object.hasOwn(clock, peer)) continue;
    if (previous === null || counterOf(previous, peer) !== counter) entries.push([peer, counter]);
  }
  return entries;
}
