/**
 * The timeline's density (shared/timeline-density.ts) as the stores count it, from counts kept per second.
 *
 * Each store keeps, beside its events and in the same transaction as their append, how many events each process of a
 * namespace has in each second of time (a "bucket", BUCKET_MS wide, by the second its time falls in; `bucketCountsOf`
 * says what a group of writes adds). A density is then read from those counts, not from the events, and stays exact:
 * the events before a slice boundary are the buckets wholly before it plus the events of the one bucket the boundary
 * cuts, before the boundary. So a slice's count is the buckets between its bounds' buckets, plus the cut bucket's part
 * at its end, less the cut bucket's part at its start (`countingOf`); the stores find those parts through an index of
 * their events by time. An answer costs the buckets in the range plus the events of at most one second per slice
 * boundary, whatever the number of events. Slices narrower than a second are each counted from their own events: the
 * range is then less than a second wide per slice.
 *
 * Only seconds that hold events have a bucket, so times far in the past or future cost one row each. What is decided
 * here — the range, the slices, which buckets and which stretches of events count where — is plain data: each adapter
 * only reads the buckets' sums and the stretches' counts with its own queries and tallies them (`DensityTally`).
 */
import { densityOf, densityPlan, type DensityPlan, type TimelineDensity } from '../../shared/timeline-density.js';

export interface DensityQuery {
  namespace?: string;
  /** Epoch ms, inclusive; default the earliest event's time. */
  from?: number;
  /** Epoch ms, inclusive; default the latest event's time. */
  to?: number;
  buckets: number;
}

/** The width of a kept count: one second. Changing it needs a migration that counts the buckets again. */
export const BUCKET_MS = 1000;

/** Epoch ms of the start of the bucket an epoch millisecond falls in. */
export const bucketOf = (ms: number): number => Math.floor(ms / BUCKET_MS) * BUCKET_MS;

/**
 * Epoch ms of the start of the bucket a sortable time key (time.ts) falls in: its date and time to the second, read
 * as UTC. The SQL migrations that fill the buckets compute the same from the same 19 characters.
 */
export const bucketOfKey = (key: string): number => Date.parse(`${key.slice(0, 19)}Z`);

/** The sortable key (time.ts) of the first (`end` false) or last (`end` true) instant of an epoch millisecond. */
export function keyOfMs(ms: number, end: boolean): string {
  return `${new Date(ms).toISOString().slice(0, 23)}${end ? '999999' : '000000'}Z`;
}

/** Epoch ms of a sortable time key (fraction beyond the millisecond dropped). */
export const msOfKey = (key: string): number => Date.parse(`${key.slice(0, 23)}Z`);

/** How many events of a namespace's process a group of writes adds to one bucket. */
export interface BucketCount {
  namespace: string;
  process: string;
  /** Epoch ms of the bucket's start. */
  start: number;
  events: number;
}

/** What counting a new event needs of its write (plan.ts `EventWrite`). */
export interface CountedWrite {
  namespace: string;
  timeKey: string;
  event: { process: string };
}

/**
 * The counts a group of new events adds, one per namespace, process and bucket (so an upsert touches each row once).
 * A group's events mostly share a few seconds: a key's bucket is parsed only when its second differs from the last.
 */
export function bucketCountsOf(writes: readonly CountedWrite[]): BucketCount[] {
  const counts = new Map<string, BucketCount>();
  let second: string | null = null;
  let start = 0;
  for (const { namespace, event, timeKey } of writes) {
    const process = event.process;
    if (second === null || !timeKey.startsWith(second)) {
      second = timeKey.slice(0, 19);
      start = bucketOfKey(second);
    }
    const key = `${namespace}\u001f${process}\u001f${start}`;
    const count = counts.get(key);
    if (count) count.events += 1;
    else counts.set(key, { namespace, process, start, events: 1 });
  }
  return [...counts.values()];
}

/**
 * The plan for a query, given the epoch ms of the earliest and latest events stored (null when the namespace is
 * empty), or null when there is nothing to count.
 */
export function planOf(query: DensityQuery, earliest: number | null, latest: number | null): DensityPlan | null {
  const from = query.from ?? earliest ?? undefined;
  const to = query.to ?? latest ?? undefined;
  if (from === undefined || to === undefined || to < from) return null;
  return densityPlan(from, to, query.buckets);
}

/**
 * A stretch of time, `from`–`to` epoch ms inclusive, whose events count per process: added to slice `add` and taken
 * from slice `take` (-1: neither).
 */
export interface TimeStretch {
  from: number;
  to: number;
  add: number;
  take: number;
}

/** What to read for a plan: the buckets starting in [from, until) (null: none) and stretches of events. */
export interface Counting {
  buckets: { from: number; until: number } | null;
  stretches: TimeStretch[];
}

/**
 * Where slice k starts, p(k): from + k·bucketMs, but never past to + 1 (= p(n)), where the last slices start when the
 * range is not a whole number of them (they are then empty).
 */
const boundOf = (plan: DensityPlan, k: number): number => Math.min(plan.from + k * plan.bucketMs, plan.to + 1);

/**
 * What counts where. With slices at least a bucket wide, slice k runs from p(k) to p(k+1), and b(k) is the start of
 * the bucket p(k) falls in: slice k holds the buckets starting in [b(k), b(k+1)), plus the events in [b(k+1), p(k+1)),
 * less those in [b(k), p(k)) — a boundary's stretch is empty when it falls on a bucket's start. Narrower slices are
 * each one stretch of events.
 */
export function countingOf(plan: DensityPlan): Counting {
  const stretches: TimeStretch[] = [];
  if (plan.bucketMs < BUCKET_MS) {
    for (let k = 0; k < plan.buckets; k++) {
      const from = boundOf(plan, k);
      const to = boundOf(plan, k + 1) - 1;
      if (from <= to) stretches.push({ from, to, add: k, take: -1 });
    }
    return { buckets: null, stretches };
  }
  for (let k = 0; k <= plan.buckets; k++) {
    const at = boundOf(plan, k);
    const start = bucketOf(at);
    if (start < at) stretches.push({ from: start, to: at - 1, add: k - 1, take: k < plan.buckets ? k : -1 });
  }
  return { buckets: { from: bucketOf(plan.from), until: bucketOf(plan.to + 1) }, stretches };
}

/**
 * The slice a bucket starting at `start` (within the counting's buckets) counts in: the last k with b(k) ≤ start,
 * that is with from + k·bucketMs < start + BUCKET_MS (p(k) is not clamped below to + 1 there: b(k) ≤ start < b(n)).
 * The SQL adapters compute the same in their queries, as (start + BUCKET_MS − from + bucketMs − 1) div bucketMs − 1.
 */
export const bucketSliceOf = (plan: DensityPlan, start: number): number =>
  Math.min(plan.buckets - 1, Math.ceil((start + BUCKET_MS - plan.from) / plan.bucketMs) - 1);

/** Counts gathered per process and slice, some taken away again, into the answer. */
export class DensityTally {
  private readonly lanes = new Map<string, Map<number, number>>();

  constructor(private readonly plan: DensityPlan) {}

  add(process: string, slice: number, count: number): void {
    if (slice < 0 || slice >= this.plan.buckets || count === 0) return;
    let lane = this.lanes.get(process);
    if (!lane) this.lanes.set(process, (lane = new Map()));
    lane.set(slice, (lane.get(slice) ?? 0) + count);
  }

  /** Adds a stretch's count for a process where the stretch says. */
  stretch(process: string, stretch: TimeStretch, count: number): void {
    this.add(process, stretch.add, count);
    this.add(process, stretch.take, -count);
  }

  /**
   * The answer: a process whose counts in the range come to nothing has no lane. A count below zero can only come of
   * appends made between two of the adapter's reads (SQLite reads in several statements): it counts as none.
   */
  answer(): TimelineDensity {
    const rows: { process: string; slice: number; count: number }[] = [];
    for (const [process, lane] of this.lanes) {
      for (const [slice, count] of lane) if (count > 0) rows.push({ process, slice, count });
    }
    return densityOf(this.plan, rows);
  }
}
