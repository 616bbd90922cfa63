/**
 * The timeline's density on SQLite, from the counts kept per second (../density.ts: `density_counts`, written with
 * each append) and the events' time index for the parts of a second a slice boundary cuts. The range's ends are the
 * first and last entries of that index. Every read is a short indexed range, and the event loop turns between them, so
 * `/api/health` and every other request go on meanwhile: after each page of buckets (read in their primary key's
 * order), and among the stretches whenever they have held it for a few milliseconds.
 *
 * The reads are several statements, not one snapshot: an event appended between two of them may be counted by one
 * and not the other (the tally drops what would fall below zero). A density is a picture of a log that keeps growing.
 */
import { emptyDensity, type TimelineDensity } from '../../../shared/timeline-density.js';
import { bucketSliceOf, countingOf, DensityTally, keyOfMs, msOfKey, planOf, type DensityQuery } from '../density.js';
import type { Statements } from './rows.js';

/** Bucket rows read per page: a few milliseconds' work. */
const PAGE = 10_000;
/** The longest the stretches' reads hold the event loop before they let it turn (ms). */
const HOLD_MS = 8;

const SQL = {
  earliest: `SELECT time_key FROM events INDEXED BY events_by_time WHERE namespace = ? ORDER BY time_key LIMIT 1`,
  latest: `SELECT time_key FROM events INDEXED BY events_by_time WHERE namespace = ? ORDER BY time_key DESC LIMIT 1`,
  /** A page of buckets starting in [from, until), after the last one read (start, process). */
  buckets: `SELECT start, process, events FROM density_counts
    WHERE namespace = ? AND start >= ? AND start < ? AND (start, process) > (?, ?) ORDER BY start, process LIMIT ${PAGE}`,
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
    const { from, until } = counting.buckets;
    let after: [number, string] = [from - 1, ''];
    for (;;) {
      const rows = statements.get(SQL.buckets).raw().all(namespace, from, until, ...after) as [number, string, number][];
      for (const [start, process, events] of rows) tally.add(process, bucketSliceOf(plan, start), events);
      if (rows.length < PAGE) break;
      const [start, process] = rows[rows.length - 1]!;
      after = [start, process];
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
