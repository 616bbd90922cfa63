/**
 * The timeline's density on SQLite: one scan for the range when it is not given, then one grouped scan that counts
 * per process and slice inside the database (the slice from `julianday` of the sortable time key), so a store of a
 * million events answers with a few thousand rows.
 */
import { densityOf, emptyDensity, type TimelineDensity } from '../../../shared/timeline-density.js';
import { keyOfMs, planOf, type DensityQuery } from '../density.js';
import type { Statements } from './rows.js';

const RANGE = `SELECT min(time_key) AS earliest, max(time_key) AS latest FROM events WHERE namespace = ?`;
// Epoch ms of a key: julianday of its first 23 characters (to the millisecond; no zone means UTC).
const COUNT = `SELECT process, CAST((CAST(round((julianday(substr(time_key, 1, 23)) - 2440587.5) * 86400000) AS INTEGER) - ?) / ? AS INTEGER) AS slice,
  count(*) AS count FROM events WHERE namespace = ? AND time_key >= ? AND time_key <= ? GROUP BY process, slice`;

export function densityIn(statements: Statements, namespace: string, query: DensityQuery): TimelineDensity {
  const range =
    query.from !== undefined && query.to !== undefined
      ? { earliest: null, latest: null }
      : (statements.get(RANGE).get(namespace) as { earliest: string | null; latest: string | null });
  const plan = planOf(query, range.earliest, range.latest);
  if (!plan) return emptyDensity();
  const rows = statements.get(COUNT).all(plan.from, plan.bucketMs, namespace, keyOfMs(plan.from, false), keyOfMs(plan.to, true)) as { process: string; slice: number; count: number }[];
  return densityOf(plan, rows);
}
