/**
 * The timeline's density on PostgreSQL, from the counts kept per second (../density.ts). `densityCountValues` gives a
 * group commit's counts, added in its transaction: one upsert per namespace, second and process, in key order, made
 * once the group holds its processes' rows (writer.ts), so that only transactions that already wait on each other for
 * a process ever touch the same count row — no row is shared by every append. `densityIn` reads the range's ends from
 * the events' time index, then the buckets' sums per slice and the stretches a slice boundary cuts in one statement
 * (one snapshot: the counts agree with each other).
 */
import type pg from 'pg';
import { emptyDensity, type TimelineDensity } from '../../../shared/timeline-density.js';
import { BUCKET_MS, bucketCountsOf, countingOf, DensityTally, keyOfMs, msOfKey, planOf, type CountedWrite, type DensityQuery } from '../density.js';
import { arrayLiteral } from './array-literal.js';

export const DENSITY_SQL = {
  count: `INSERT INTO density_counts AS d (namespace, start, process, events)
    SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[]) ORDER BY 1, 2, 3
    ON CONFLICT (namespace, start, process) DO UPDATE SET events = d.events + excluded.events`,
  edges: `SELECT (SELECT time_key FROM events WHERE namespace = $1 ORDER BY time_key LIMIT 1) AS earliest,
    (SELECT time_key FROM events WHERE namespace = $1 ORDER BY time_key DESC LIMIT 1) AS latest`,
  /**
   * Per process: the buckets starting in [$5, $6) summed per slice (../density.ts `bucketSliceOf`: with $2 the
   * bucket's width, $3 the range's start, $4 the slices' width), and the events of each stretch ($7–$8, inclusive
   * keys), numbered from 1 in their order.
   */
  slices: `WITH stretches AS (
      SELECT e.process, s.n, count(*) AS count
      FROM unnest($7::text[], $8::text[]) WITH ORDINALITY AS s (low, high, n)
      CROSS JOIN LATERAL (SELECT process FROM events WHERE namespace = $1 AND time_key >= s.low AND time_key <= s.high) AS e
      GROUP BY 1, 2)
    SELECT process, 0 AS stretch, ((start + $2::bigint - $3::bigint + $4::bigint - 1) / $4::bigint - 1)::integer AS slice,
      sum(events) AS count
    FROM density_counts WHERE namespace = $1 AND start >= $5::bigint AND start < $6::bigint GROUP BY 1, 3
    UNION ALL SELECT process, n, -1, count FROM stretches`,
};

/** The values of `DENSITY_SQL.count` that add the counts of a group's new events (in its transaction); null for none. */
export function densityCountValues(writes: readonly CountedWrite[]): string[] | null {
  const counts = bucketCountsOf(writes);
  if (counts.length === 0) return null;
  return [counts.map((c) => c.namespace), counts.map((c) => c.start), counts.map((c) => c.process), counts.map((c) => c.events)].map(arrayLiteral);
}

export async function densityIn(pool: pg.Pool, namespace: string, query: DensityQuery): Promise<TimelineDensity> {
  const edges =
    query.from !== undefined && query.to !== undefined
      ? { earliest: null, latest: null }
      : (await pool.query<{ earliest: string | null; latest: string | null }>(DENSITY_SQL.edges, [namespace])).rows[0]!;
  const msOf = (key: string | null) => (key === null ? null : msOfKey(key));
  const plan = planOf(query, msOf(edges.earliest), msOf(edges.latest));
  if (!plan) return emptyDensity();
  const { buckets, stretches } = countingOf(plan);
  const { rows } = await pool.query<{ process: string; stretch: string; slice: number; count: string }>(DENSITY_SQL.slices, [
    namespace,
    BUCKET_MS,
    plan.from,
    plan.bucketMs,
    buckets?.from ?? 0,
    buckets?.until ?? 0,
    arrayLiteral(stretches.map((s) => keyOfMs(s.from, false))),
    arrayLiteral(stretches.map((s) => keyOfMs(s.to, true))),
  ]);
  const tally = new DensityTally(plan);
  for (const row of rows) {
    const n = Number(row.stretch);
    if (n === 0) tally.add(row.process, row.slice, Number(row.count));
    else tally.stretch(row.process, stretches[n - 1]!, Number(row.count));
  }
  return tally.answer();
}
