/**
 * How many events each process holds per slice of time (`GET /api/timeline/density`): the timeline's overview of
 * the whole store, whatever the number of events the diagram itself holds. The range [from, to] (epoch ms) is cut
 * into `buckets` slices of `bucketMs` each; an event at time t counts in slice floor((t - from) / bucketMs).
 * Pure: the stores count, the web draws.
 */
import { z } from 'zod';

export const DENSITY_BUCKETS = { default: 400, max: 4_000 } as const;

export const TimelineDensitySchema = z.strictObject({
  from: z.number().meta({ description: 'Epoch ms of the first slice’s start (the earliest event’s time unless asked).' }),
  to: z.number().meta({ description: 'Epoch ms of the range’s end, inclusive.' }),
  bucketMs: z.number().int().positive().meta({ description: 'The width of a slice in ms.' }),
  total: z.number().int().nonnegative().meta({ description: 'Events counted.' }),
  lanes: z
    .array(z.strictObject({ process: z.string(), counts: z.array(z.number().int().nonnegative()) }))
    .meta({ description: 'One per process with events in the range, by process name; `counts[k]` is slice k.' }),
});

export type TimelineDensity = z.infer<typeof TimelineDensitySchema>;

/** Where a density is counted: the range and how many slices. */
export interface DensityPlan {
  from: number;
  to: number;
  buckets: number;
  bucketMs: number;
}

/** Slices of whole milliseconds that together cover [from, to]. */
export function densityPlan(from: number, to: number, buckets: number): DensityPlan {
  const n = Math.max(1, Math.floor(buckets));
  const span = Math.max(0, to - from) + 1;
  return { from, to, buckets: n, bucketMs: Math.max(1, Math.ceil(span / n)) };
}

/** The slice an event at `time` counts in, or -1 outside the range. */
export function sliceOf(plan: DensityPlan, time: number): number {
  if (time < plan.from || time > plan.to) return -1;
  return Math.min(plan.buckets - 1, Math.floor((time - plan.from) / plan.bucketMs));
}

/** The answer from counted rows (process, slice, count), in any order; lanes sorted by process. */
export function densityOf(plan: DensityPlan, rows: Iterable<{ process: string; slice: number; count: number }>): TimelineDensity {
  const lanes = new Map<string, number[]>();
  let total = 0;
  for (const { process, slice, count } of rows) {
    if (slice < 0 || slice >= plan.buckets) continue;
    let counts = lanes.get(process);
    if (!counts) lanes.set(process, (counts = new Array<number>(plan.buckets).fill(0)));
    counts[slice] = counts[slice]! + count;
    total += count;
  }
  return {
    from: plan.from,
    to: plan.to,
    bucketMs: plan.bucketMs,
    total,
    lanes: [...lanes.keys()].sort().map((process) => ({ process, counts: lanes.get(process)! })),
  };
}

/** The answer for an empty range. */
export const emptyDensity = (): TimelineDensity => ({ from: 0, to: 0, bucketMs: 1, total: 0, lanes: [] });
