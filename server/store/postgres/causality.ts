/**
 * Causal past and future on PostgreSQL, by index only (see ../causality.ts for why these ranges are exact): the
 * ranges of `events_by_process` are counted from the `seq` of their ends and listed by reading them from their
 * near ends (../nearest.ts); where the future starts on each other process comes from `clock_entries`; the
 * concurrent count is what is left of the namespace's event count, the sum of its processes' (`process_heads`).
 */
import type pg from 'pg';
import type { StoredEvent } from '../../../shared/event.js';
import { futureRanges, ownCounter, pastRanges, type OwnRange } from '../causality.js';
import { chooseNearest, firstTake, type Nearness, type RangeRead } from '../nearest.js';
import type { CausalityResult } from '../types.js';
import { eventColumns, valuesToEvent } from './rows.js';

/** The seq of the process's last event with own counter `op` `bound`, or 0. */
const seqUpTo = (namespace: string, process: string, op: '<=' | '<', bound: string) =>
  `coalesce((SELECT s.seq FROM events AS s WHERE s.namespace = ${namespace} AND s.process = ${process} AND s.own ${op} ${bound}
             ORDER BY s.own DESC, s.seq DESC LIMIT 1), 0)`;

export const CAUSALITY_SQL = {
  /** For each process whose events know `peer`, the lowest own counter of one knowing at least `counter`. */
  firstKnowing: `
    WITH RECURSIVE owners (owner) AS (
      SELECT (SELECT owner FROM clock_entries WHERE namespace = $1 AND peer = $2 ORDER BY owner LIMIT 1)
      UNION ALL
      SELECT (SELECT c.owner FROM clock_entries AS c
              WHERE c.namespace = $1 AND c.peer = $2 AND c.owner > o.owner ORDER BY c.owner LIMIT 1)
      FROM owners AS o WHERE o.owner IS NOT NULL
    )
    SELECT o.owner AS process,
           (SELECT c.own FROM clock_entries AS c
            WHERE c.namespace = $1 AND c.peer = $2 AND c.owner = o.owner AND c.counter >= $3
            ORDER BY c.counter, c.own LIMIT 1) AS first
    FROM owners AS o WHERE o.owner IS NOT NULL`,
  /**
   * The sizes of the past ranges (cone 0) and the future ranges (cone 1), two index seeks each, the namespace's,
   * and each range's highest lane (a JSON array in range order).
   */
  counts: `SELECT
      coalesce(sum(${seqUpTo('$1', 'r.process', '<=', 'r.hi')} - ${seqUpTo('$1', 'r.process', '<', 'r.lo')}) FILTER (WHERE r.cone = 0), 0) AS past,
      coalesce(sum(${seqUpTo('$1', 'r.process', '<=', 'r.hi')} - ${seqUpTo('$1', 'r.process', '<', 'r.lo')}) FILTER (WHERE r.cone = 1), 0) AS future,
      coalesce((SELECT sum(events) FROM process_heads WHERE namespace = $1), 0) AS total,
      coalesce(json_agg((SELECT coalesce(max(e.lane), 0) FROM events AS e WHERE e.namespace = $1 AND e.process = r.process AND e.lane > 0)
                        ORDER BY r.n), '[]') AS lanes
    FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::integer[]) WITH ORDINALITY AS r (process, lo, hi, cone, n)`,
  /**
   * For each read `i` (a lane of a range), the positions of its first `take` events in (own, seq) order, from the
   * index alone, as a JSON array.
   */
  readLanes: (order: Nearness) => {
    const read = (lane: string) => `
      SELECT r.i, (SELECT coalesce(json_agg(x.position), '[]') FROM (
                     SELECT e.position FROM events AS e
                     WHERE e.namespace = $1 AND e.process = r.process AND ${lane} AND e.own BETWEEN r.lo AND r.hi
                     ORDER BY e.own ${order}, e.seq ${order} LIMIT r.take) AS x) AS positions
      FROM unnest($2::integer[], $3::text[], $4::bigint[], $5::bigint[], $6::integer[], $7::integer[]) AS r (i, process, lo, hi, take, lane)`;
    return `${read('e.lane = 0')} WHERE r.lane = 0 UNION ALL ${read('e.lane = r.lane AND e.lane > 0')} WHERE r.lane > 0`;
  },
  rows: (order: Nearness) =>
    `SELECT ${eventColumns('e')} FROM events AS e WHERE e.namespace = $2 AND e.position = ANY ($1::bigint[]) ORDER BY e.position ${order}`,
  /** Numbers the events of each (namespace, process) from own counter `from` on again, after late events joined them. */
  renumber: `UPDATE events AS e SET seq = numbered.seq
    FROM (SELECT x.namespace, x.position, b.base + row_number() OVER (PARTITION BY k.namespace, k.process ORDER BY x.own, x.position) AS seq
          FROM unnest($1::text[], $2::text[], $3::bigint[]) AS k (namespace, process, from_own)
          CROSS JOIN LATERAL (SELECT ${seqUpTo('k.namespace', 'k.process', '<', 'k.from_own')} AS base) AS b
          JOIN events AS x ON x.namespace = k.namespace AND x.process = k.process AND x.own >= k.from_own) AS numbered
    WHERE e.namespace = numbered.namespace AND e.position = numbered.position AND e.seq <> numbered.seq`,
};

/** The `limit` events of the ranges nearest by position (see ../nearest.ts), nearest first. */
async function nearestEvents(
  db: pg.PoolClient,
  namespace: string,
  ranges: (OwnRange & { lanes: number })[],
  order: Nearness,
  limit: number,
): Promise<StoredEvent[]> {
  if (ranges.length === 0 || limit === 0) return [];
  const lanes = ranges.flatMap((r) => Array.from({ length: r.lanes + 1 }, (_, lane) => ({ ...r, lane })));
  const reads: RangeRead[] = lanes.map(() => ({ positions: [], take: 0 }));
  let deeper = new Map(lanes.map((_, i) => [i, firstTake(lanes.length, limit)]));
  for (;;) {
    const asked = [...deeper].map(([i, take]) => ({ i, read: lanes[i]!, take }));
    const { rows } = await db.query<{ i: number; positions: number[] }>(CAUSALITY_SQL.readLanes(order), [
      namespace,
      asked.map((a) => a.i),
      asked.map((a) => a.read.process),
      asked.map((a) => a.read.from),
      asked.map((a) => a.read.to),
      asked.map((a) => a.take),
      asked.map((a) => a.read.lane),
    ]);
    for (const { i, positions } of rows) reads[i] = { positions, take: deeper.get(i)! };
    const choice = chooseNearest(reads, order, limit);
    if (choice.done) {
      const result = await db.query<unknown[]>({ text: CAUSALITY_SQL.rows(order), values: [choice.positions, namespace], rowMode: 'array' });
      return result.rows.map(valuesToEvent);
    }
    deeper = choice.deeper;
  }
}

/** Run on one connection inside a repeatable-read transaction, so the counts and lists agree. */
export async function causalityOf(db: pg.PoolClient, namespace: string, target: StoredEvent, limit: number): Promise<CausalityResult> {
  const { rows } = await db.query<{ process: string; first: string | null }>(CAUSALITY_SQL.firstKnowing, [
    namespace,
    target.process,
    ownCounter(target),
  ]);
  const knowing = rows.flatMap((r) => (r.first === null ? [] : [{ process: r.process, first: Number(r.first) }]));
  const past = pastRanges(target);
  const future = futureRanges(target, knowing);
  const both = [...past.map((r) => ({ ...r, cone: 0 })), ...future.map((r) => ({ ...r, cone: 1 }))];
  const counts = (
    await db.query<{ past: string; future: string; total: string; lanes: number[] }>(CAUSALITY_SQL.counts, [
      namespace,
      both.map((r) => r.process),
      both.map((r) => r.from),
      both.map((r) => r.to),
      both.map((r) => r.cone),
    ])
  ).rows[0]!;
  const pastCount = Number(counts.past);
  const futureCount = Number(counts.future);
  const withLanes = both.map((r, i) => ({ ...r, lanes: counts.lanes[i]! }));
  return {
    event: target,
    past: await nearestEvents(db, namespace, withLanes.slice(0, past.length), 'DESC', limit),
    future: await nearestEvents(db, namespace, withLanes.slice(past.length), 'ASC', limit),
    pastCount,
    futureCount,
    concurrent: Number(counts.total) - pastCount - futureCount - 1,
  };
}
