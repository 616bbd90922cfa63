/**
 * Causal past and future on SQLite, by index only (see ../causality.ts for why these ranges are exact): the past
 * and the future are ranges of `events_by_process`; where the future starts on each other process comes from
 * `clock_entries`; the concurrent count is what is left of the namespace's event count.
 */
import type { StoredEvent } from '../../../shared/event.js';
import { futureRanges, ownCounter, pastRanges, type OwnRange } from '../causality.js';
import type { CausalityResult } from '../types.js';
import { EVENT_COLUMNS, toEvent, type EventRow, type Statements } from './rows.js';

export const CAUSALITY_SQL = {
  /** For each process whose events know `peer`, the lowest own counter of one knowing at least `counter`. */
  firstKnowing: `
    WITH RECURSIVE owners (owner) AS (
      SELECT (SELECT owner FROM clock_entries WHERE namespace = @namespace AND peer = @peer ORDER BY owner LIMIT 1)
      UNION ALL
      SELECT (SELECT c.owner FROM clock_entries AS c
              WHERE c.namespace = @namespace AND c.peer = @peer AND c.owner > owners.owner ORDER BY c.owner LIMIT 1)
      FROM owners WHERE owners.owner IS NOT NULL
    )
    SELECT owner AS process,
           (SELECT c.own FROM clock_entries AS c
            WHERE c.namespace = @namespace AND c.peer = @peer AND c.owner = owners.owner AND c.counter >= @counter
            ORDER BY c.counter, c.own LIMIT 1) AS first
    FROM owners WHERE owner IS NOT NULL`,
  countRange: `SELECT count(*) FROM events INDEXED BY events_by_process
    WHERE namespace = ? AND process = ? AND own BETWEEN ? AND ?`,
  namespaceCount: `SELECT coalesce((SELECT events FROM namespaces WHERE namespace = ?), 0)`,
};

/** Events in any of the ranges, newest or oldest first, at most `limit`. */
export function rangesQuery(ranges: OwnRange[], order: 'ASC' | 'DESC'): string {
  // Within a process, `own` rises with position, so the nearest `limit` events of each range by `own` (read in index
  // order, no sort) hold the nearest `limit` of all ranges by position.
  const parts = ranges.map(
    () =>
      `SELECT * FROM (SELECT ${EVENT_COLUMNS} FROM events INDEXED BY events_by_process
        WHERE namespace = ? AND process = ? AND own BETWEEN ? AND ? ORDER BY own ${order} LIMIT ?)`,
  );
  return `${parts.join(' UNION ALL ')} ORDER BY position ${order} LIMIT ?`;
}

export function causalityOf(
  statements: Statements,
  namespace: string,
  target: StoredEvent,
  limit: number,
): CausalityResult {
  const first = statements
    .get(CAUSALITY_SQL.firstKnowing)
    .all({ namespace, peer: target.process, counter: ownCounter(target) }) as { process: string; first: number | null }[];
  const knowing = first.filter((r): r is { process: string; first: number } => r.first !== null);
  const past = pastRanges(target);
  const future = futureRanges(target, knowing);
  const count = (ranges: OwnRange[]) => {
    const statement = statements.get(CAUSALITY_SQL.countRange).pluck();
    return ranges.reduce((sum, r) => sum + (statement.get(namespace, r.process, r.from, r.to) as number), 0);
  };
  const list = (ranges: OwnRange[], order: 'ASC' | 'DESC') => {
    if (ranges.length === 0 || limit === 0) return [];
    const params = ranges.flatMap((r) => [namespace, r.process, r.from, r.to, limit]);
    return (statements.get(rangesQuery(ranges, order)).all(...params, limit) as EventRow[]).map(toEvent);
  };
  const pastCount = count(past);
  const futureCount = count(future);
  const total = statements.get(CAUSALITY_SQL.namespaceCount).pluck().get(namespace) as number;
  return {
    event: target,
    past: list(past, 'DESC'),
    future: list(future, 'ASC'),
    pastCount,
    futureCount,
    concurrent: total - pastCount - futureCount - 1,
  };
}
