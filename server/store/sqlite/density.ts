/**
 * The timeline's density on SQLite, counted without holding the event loop: the log is read in stretches of
 * positions (the rowid), each a short indexed range scan, with a turn of the event loop between them, so
 * `/api/health` and every other request go on while a million events are counted. The first round finds the range
 * when the query does not give it; the second reads each event's process and time key (to the millisecond) and counts
 * it into its slice here — a string slice and a date parse per event, far cheaper than SQLite's `julianday`.
 */
import { densityOf, emptyDensity, sliceOf, type TimelineDensity } from '../../../shared/timeline-density.js';
import { keyOfMs, msOfKey, planOf, type DensityQuery } from '../density.js';
import type { Statements } from './rows.js';

/** Positions read per stretch: a few tens of milliseconds of work. */
const STRETCH = 20_000;

const HEAD = `SELECT coalesce(max(position), 0) FROM events`;
const RANGE = `SELECT min(time_key) AS earliest, max(time_key) AS latest FROM events WHERE position > ? AND position <= ? AND namespace = ?`;
const TIMES = `SELECT process, substr(time_key, 1, 23) FROM events WHERE position > ? AND position <= ? AND namespace = ? AND time_key >= ? AND time_key <= ?`;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function densityIn(statements: Statements, namespace: string, query: DensityQuery): Promise<TimelineDensity> {
  const head = statements.get(HEAD).pluck().get() as number;
  let earliest: string | null = null;
  let latest: string | null = null;
  if (query.from === undefined || query.to === undefined) {
    for (let after = 0; after < head; after += STRETCH) {
      const range = statements.get(RANGE).get(after, after + STRETCH, namespace) as { earliest: string | null; latest: string | null };
      if (range.earliest !== null && (earliest === null || range.earliest < earliest)) earliest = range.earliest;
      if (range.latest !== null && (latest === null || range.latest > latest)) latest = range.latest;
      await turn();
    }
  }
  const plan = planOf(query, earliest, latest);
  if (!plan) return emptyDensity();
  const counts = new Map<string, Map<number, number>>();
  const fromKey = keyOfMs(plan.from, false);
  const toKey = keyOfMs(plan.to, true);
  for (let after = 0; after < head; after += STRETCH) {
    for (const [process, ms] of statements.get(TIMES).raw().iterate(after, after + STRETCH, namespace, fromKey, toKey) as Iterable<[string, string]>) {
      const slice = sliceOf(plan, msOfKey(ms));
      let lane = counts.get(process);
      if (!lane) counts.set(process, (lane = new Map()));
      lane.set(slice, (lane.get(slice) ?? 0) + 1);
    }
    await turn();
  }
  const rows: { process: string; slice: number; count: number }[] = [];
  for (const [process, lane] of counts) for (const [slice, count] of lane) rows.push({ process, slice, count });
  return densityOf(plan, rows);
}
