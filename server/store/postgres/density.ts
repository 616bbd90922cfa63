/**
 * The timeline's density on PostgreSQL: one scan for the range when it is not given, then one grouped scan that
 * counts per process and slice inside the database, so a store of a million events answers with a few thousand rows.
 */
import type pg from 'pg';
import { densityOf, emptyDensity, type TimelineDensity } from '../../../shared/timeline-density.js';
import { keyOfMs, planOf, type DensityQuery } from '../density.js';

const RANGE = `SELECT min(time_key) AS earliest, max(time_key) AS latest FROM events WHERE namespace = $1`;
// Epoch ms of a key: its first 23 characters read as a UTC timestamp.
const COUNT = `SELECT process, floor((round(extract(epoch FROM (left(time_key, 23) || 'Z')::timestamptz) * 1000) - $1) / $2)::int AS slice,
  count(*)::int AS count FROM events WHERE namespace = $3 AND time_key >= $4 AND time_key <= $5 GROUP BY 1, 2`;

export async function densityIn(pool: pg.Pool, namespace: string, query: DensityQuery): Promise<TimelineDensity> {
  const range =
    query.from !== undefined && query.to !== undefined
      ? { earliest: null, latest: null }
      : (await pool.query<{ earliest: string | null; latest: string | null }>(RANGE, [namespace])).rows[0]!;
  const plan = planOf(query, range.earliest, range.latest);
  if (!plan) return emptyDensity();
  const { rows } = await pool.query<{ process: string; slice: number; count: number }>(COUNT, [plan.from, plan.bucketMs, namespace, keyOfMs(plan.from, false), keyOfMs(plan.to, true)]);
  return densityOf(plan, rows);
}
