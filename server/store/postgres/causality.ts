/**
 * Causal past and future on PostgreSQL, by index only (see ../causality.ts for why these ranges are exact): the
 * ranges are scanned on `events_by_process`, where the future starts on each other process comes from
 * `clock_entries`, and the concurrent count is what is left of the namespace's event count.
 */
import type pg from 'pg';
import type { StoredEvent } from '../../../shared/event.js';
import { futureRanges, ownCounter, pastRanges, type OwnRange } from '../causality.js';
import type { CausalityResult } from '../types.js';
import { eventColumns, toEvent, type EventRow } from './rows.js';

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
  count: `SELECT coalesce(sum((SELECT count(*) FROM events AS e
                               WHERE e.namespace = $1 AND e.process = r.process AND e.own BETWEEN r.lo AND r.hi)), 0) AS count
    FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS r (process, lo, hi)`,
  list: (order: 'ASC' | 'DESC') => `SELECT x.* FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS r (process, lo, hi)
    JOIN LATERAL (SELECT ${eventColumns('e')} FROM events AS e
                  WHERE e.namespace = $1 AND e.process = r.process AND e.own BETWEEN r.lo AND r.hi
                  ORDER BY e.position ${order} LIMIT $5) AS x ON true
    ORDER BY x.position ${order} LIMIT $5`,
  namespaceCount: `SELECT coalesce((SELECT events FROM namespaces WHERE namespace = $1), 0) AS count`,
};

const rangeParams = (ranges: OwnRange[]) => [ranges.map((r) => r.process), ranges.map((r) => r.from), ranges.map((r) => r.to)];

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
  const count = async (ranges: OwnRange[]) =>
    Number((await db.query<{ count: string }>(CAUSALITY_SQL.count, [namespace, ...rangeParams(ranges)])).rows[0]!.count);
  const list = async (ranges: OwnRange[], order: 'ASC' | 'DESC') => {
    if (ranges.length === 0 || limit === 0) return [];
    const result = await db.query<EventRow>(CAUSALITY_SQL.list(order), [namespace, ...rangeParams(ranges), limit]);
    return result.rows.map(toEvent);
  };
  const pastCount = await count(past);
  const futureCount = await count(future);
  const total = Number((await db.query<{ count: string }>(CAUSALITY_SQL.namespaceCount, [namespace])).rows[0]!.count);
  const pastEvents = await list(past, 'DESC');
  const futureEvents = await list(future, 'ASC');
  return {
    event: target,
    past: pastEvents,
    future: futureEvents,
    pastCount,
    futureCount,
    concurrent: total - pastCount - futureCount - 1,
  };
}
