/**
 * The memory store's counts per second (density.ts): for each bucket that holds events, each process's events' times.
 * Their number is the bucket's count; the times answer the stretches a slice boundary cuts. Only buckets that hold
 * events exist, so a time far in the past or future costs one entry.
 */
import { emptyDensity, type TimelineDensity } from '../../shared/timeline-density.js';
import { BUCKET_MS, bucketOf, bucketSliceOf, countingOf, DensityTally, planOf, type DensityQuery } from './density.js';

export class TimeBuckets {
  /** Bucket start → process → the epoch ms of its events in that second. */
  private readonly buckets = new Map<number, Map<string, number[]>>();

  add(process: string, ms: number): void {
    const start = bucketOf(ms);
    let processes = this.buckets.get(start);
    if (!processes) this.buckets.set(start, (processes = new Map()));
    const times = processes.get(process);
    if (times) times.push(ms);
    else processes.set(process, [ms]);
  }

  density(query: DensityQuery): TimelineDensity {
    const plan = planOf(query, this.edge(false), this.edge(true));
    if (!plan) return emptyDensity();
    const counting = countingOf(plan);
    const tally = new DensityTally(plan);
    if (counting.buckets) {
      const { from, until } = counting.buckets;
      for (const [start, processes] of this.buckets) {
        if (start < from || start >= until) continue;
        for (const [process, times] of processes) tally.add(process, bucketSliceOf(plan, start), times.length);
      }
    }
    for (const stretch of counting.stretches) {
      // A stretch is narrower than a second: it lies in one bucket or two.
      for (let start = bucketOf(stretch.from); start <= stretch.to; start += BUCKET_MS) {
        for (const [process, times] of this.buckets.get(start) ?? []) {
          let count = 0;
          for (const ms of times) if (ms >= stretch.from && ms <= stretch.to) count += 1;
          tally.stretch(process, stretch, count);
        }
      }
    }
    return tally.answer();
  }

  /** The earliest (`later` false) or latest (`later` true) event's time, null when there is none. */
  private edge(later: boolean): number | null {
    const beyond = (a: number, b: number) => (later ? a > b : a < b);
    let start: number | null = null;
    for (const s of this.buckets.keys()) if (start === null || beyond(s, start)) start = s;
    if (start === null) return null;
    let edge: number | null = null;
    for (const times of this.buckets.get(start)!.values()) for (const ms of times) if (edge === null || beyond(ms, edge)) edge = ms;
    return edge;
  }
}
