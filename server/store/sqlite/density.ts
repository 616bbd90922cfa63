/**
 * The timeline's density on SQLite, from the counts kept per second (../density.ts: `density_counts`, written with
 * each append) and the events' time index for the parts of a second a slice boundary cuts. The range's ends are the
 * first and last entries of that index. The buckets are summed per process and slice by SQLite, a window of their
 * starts at a time, each window sized to read some thousands of rows; the stretches are read one by one. The event loop
 * turns between windows, and among the stretches whenever they have held it for a few milliseconds, so `/api/health`
 * and every other request go on meanwhile.
 *
 * The reads are several statements, not one snapshot: an event appended between two of them may be counted by one
 * and not the other (the tally drops what would fall below zero). A density is a picture of a log that keeps growing.
 */
import { emptyDensity, type TimelineDensity } from '../../../shared/timeline-density.js';
import { BUCKET_MS, countingOf, DensityTally, keyOfMs, msOfKey, planOf, type DensityQuery } from '../density.js';
import type { Statements } from './rows.js';

/**
 * Bucket rows a window should read: some 5–15 ms of work. Each turn of the loop may let a whole request in (a page of
 * the diagram's events takes longer than that), so the turns are not made finer than they need to be.
 */
const WINDOW_ROWS = 15_000;
/** The first window's width (ms of bucket starts); later ones are sized by the rows the one before read. */
const FIRST_WINDOW_MS = 256 * BUCKET_MS;
/** The longest the stretches' reads hold the event loop before they let it turn (ms). */
const HOLD_MS = 15;

const SQL = {
  earliest: `SELECT time_key FROM events INDEXED BY events_by_time WHERE namespace = ? ORDER BY time_key LIMIT 1`,
  latest: `SELECT time_key FROM events INDEXED BY events_by_time WHERE namespace = ? ORDER BY time_key DESC LIMIT 1`,
  /**
   * The buckets starting in a window, summed per process and slice (../density.ts `bucketSliceOf`, the offset being
   * BUCKET_MS − from + bucketMs − 1), with the rows read. Numbers are bound as reals: cast, the division is whole.
   */
  buckets: `SELECT process, (start + CAST(? AS INTEGER)) / CAST(? AS INTEGER) - 1, sum(events), count(*)
    FROM density_counts WHERE namespace = ? AND start >= ? AND start < ? GROUP BY 1, 2`,
  stretch: `SELECT process, count(*) FROM events INDEXED BY events_by_time
    WHERE namespace = ? AND time_key >= ? AND time_key <= ? GROUP BY process`,
};

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Lets the event loop turn once the reads have held it for HOLD_MS since the last turn. */
function pacer(): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < HOLD_MS) return;
    await turn();
    since = performance.now();
  };
}

export async function densityIn(statements: Statements, namespace: string, query: DensityQuery): Promise<TimelineDensity> {
  const edge = (sql: string): number | null => {
    const key = statements.get(sql).pluck().get(namespace) as string | undefined;
    return key === undefined ? null : msOfKey(key);
  };
  const plan = planOf(query, query.from === undefined ? edge(SQL.earliest) : null, query.to === undefined ? edge(SQL.latest) : null);
  if (!plan) return emptyDensity();
  const counting = countingOf(plan);
  const tally = new DensityTally(plan);
  if (counting.buckets) {
    const offset = BUCKET_MS - plan.from + plan.bucketMs - 1;
    let width = FIRST_WINDOW_MS;
    for (let from = counting.buckets.from; from < counting.buckets.until; ) {
      const until = Math.min(counting.buckets.until, from + width);
      let read = 0;
      const rows = statements.get(SQL.buckets).raw().all(offset, plan.bucketMs, namespace, from, until) as [string, number, number, number][];
      for (const [process, slice, events, count] of rows) {
        tally.add(process, Math.min(plan.buckets - 1, slice), events);
        read += count;
      }
      from = until;
      // Sized on what this window read: wider over seconds with few counts (up to 8 times), narrower over busy ones.
      width = Math.max(BUCKET_MS, Math.min(width * 8, Math.floor((width * WINDOW_ROWS) / Math.max(read, 1))));
      await turn();
    }
  }
  const pace = pacer();
  for (const stretch of counting.stretches) {
    const rows = statements.get(SQL.stretch).raw().all(namespace, keyOfMs(stretch.from, false), keyOfMs(stretch.to, true)) as [string, number][];
    for (const [process, count] of rows) tally.stretch(process, stretch, count);
    await pace();
  }
  return tally.answer();
}
