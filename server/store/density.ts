/**
 * The timeline's density (shared/timeline-density.ts) as the stores count it: what is asked, and the bounds of the
 * range as sortable time keys (time.ts), so each adapter can count with the database's own grouping and only the
 * range and the slices are decided here. The memory store counts in JavaScript with the same plan.
 */
import { densityOf, densityPlan, emptyDensity, sliceOf, type DensityPlan, type TimelineDensity } from '../../shared/timeline-density.js';
import type { StoredEvent } from '../../shared/event.js';

export interface DensityQuery {
  namespace?: string;
  /** Epoch ms, inclusive; default the earliest event's time. */
  from?: number;
  /** Epoch ms, inclusive; default the latest event's time. */
  to?: number;
  buckets: number;
}

/** The sortable key (time.ts) of the first (`end` false) or last (`end` true) instant of an epoch millisecond. */
export function keyOfMs(ms: number, end: boolean): string {
  return `${new Date(ms).toISOString().slice(0, 23)}${end ? '999999' : '000000'}Z`;
}

/** Epoch ms of a sortable time key (fraction beyond the millisecond dropped). */
export const msOfKey = (key: string): number => Date.parse(`${key.slice(0, 23)}Z`);

/**
 * The plan for a query, given the earliest and latest keys stored (null when the namespace is empty), or null when
 * there is nothing to count.
 */
export function planOf(query: DensityQuery, earliest: string | null, latest: string | null): DensityPlan | null {
  const from = query.from ?? (earliest === null ? undefined : msOfKey(earliest));
  const to = query.to ?? (latest === null ? undefined : msOfKey(latest));
  if (from === undefined || to === undefined || to < from) return null;
  return densityPlan(from, to, query.buckets);
}

/** Counts held events in JavaScript (the memory store). */
export function densityOfEvents(events: Iterable<StoredEvent>, keyOf: (e: StoredEvent) => string, query: DensityQuery): TimelineDensity {
  let earliest: string | null = null;
  let latest: string | null = null;
  const list: StoredEvent[] = [];
  for (const e of events) {
    const key = keyOf(e);
    if (earliest === null || key < earliest) earliest = key;
    if (latest === null || key > latest) latest = key;
    list.push(e);
  }
  const plan = planOf(query, earliest, latest);
  if (!plan) return emptyDensity();
  return densityOf(
    plan,
    list.map((e) => ({ process: e.process, slice: sliceOf(plan, msOfKey(keyOf(e))), count: 1 })),
  );
}
