/**
 * Causal past and future on SQLite, by index only (see ../causality.ts for why these ranges are exact): the past
 * and the future are ranges of `events_by_process`, counted from the `seq` of their ends and listed by reading
 * them from their near ends (../nearest.ts); where the future starts on each other process comes from
 * `clock_entries`; the concurrent count is what is left of the namespace's event count.
 */
import type { StoredEvent } from '../../../shared/event.js';
import { futureRanges, ownCounter, pastRanges, type OwnRange } from '../causality.js';
import { chooseNearest, firstTake, type Nearness, type RangeRead } from '../nearest.js';
import type { CausalityResult } from '../types.js';
import { EVENT_COLUMNS, valuesToEvent, type Statements } from './rows.js';

/** The seq of the process's last event with own counter ≤ `bound`, or 0 (`op` is `<=` or `<`). */
const seqUpTo = (op: '<=' | '<', bound: string) =>
  `coalesce((SELECT seq FROM events INDEXED BY events_by_process
             WHERE namespace = @namespace AND process = @process AND own ${op} ${bound} ORDER BY own DESC, seq DESC LIMIT 1), 0)`;

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
  /** How many of the process's events have an own counter in `from … to`: two index seeks, whatever the range. */
  countRange: `SELECT ${seqUpTo('<=', '@to')} - ${seqUpTo('<', '@from')}`,
  /** Numbers the process's events from own counter `from` on again, after a late event joined them. */
  renumber: `UPDATE events SET seq = numbered.seq
    FROM (SELECT position, ${seqUpTo('<', '@from')} + row_number() OVER (ORDER BY own, position) AS seq
          FROM events INDEXED BY events_by_process
          WHERE namespace = @namespace AND process = @process AND own >= @from) AS numbered
    WHERE events.position = numbered.position AND events.seq <> numbered.seq`,
  namespaceCount: `SELECT coalesce((SELECT events FROM namespaces WHERE namespace = ?), 0)`,
  /** The process's highest lane. */
  lanes: `SELECT coalesce(max(lane), 0) FROM events INDEXED BY events_by_lane WHERE namespace = ? AND process = ? AND lane > 0`,
  /** The positions of the first `take` events of lane 0 of the range in (own, seq) order, from the index alone. */
  readRange: (order: Nearness) => `SELECT position FROM events INDEXED BY events_by_process
    WHERE namespace = @namespace AND process = @process AND own BETWEEN @from AND @to AND lane = 0
    ORDER BY own ${order}, seq ${order} LIMIT @take`,
  /** The same for lane `lane` above 0. */
  readLane: (order: Nearness) => `SELECT position FROM events INDEXED BY events_by_lane
    WHERE namespace = @namespace AND process = @process AND lane = @lane AND lane > 0 AND own BETWEEN @from AND @to
    ORDER BY own ${order}, seq ${order} LIMIT @take`,
  rows: (order: Nearness) => `SELECT ${EVENT_COLUMNS} FROM events
    WHERE position IN (SELECT value FROM json_each(?)) ORDER BY position ${order}`,
};

/** The `limit` events of the ranges nearest by position (see ../nearest.ts), nearest first. */
function nearestEvents(statements: Statements, namespace: string, ranges: OwnRange[], order: Nearness, limit: number): StoredEvent[] {
  if (ranges.length === 0 || limit === 0) return [];
  const lanesOf = statements.get(CAUSALITY_SQL.lanes).pluck();
  const laneRanges = ranges.flatMap((r) =>
    Array.from({ length: (lanesOf.get(namespace, r.process) as number) + 1 }, (_, lane) => ({ ...r, lane })),
  );
  const readRange = statements.get(CAUSALITY_SQL.readRange(order)).pluck();
  const readLane = statements.get(CAUSALITY_SQL.readLane(order)).pluck();
  const read = ({ process, from, to, lane }: (typeof laneRanges)[number], take: number): RangeRead => ({
    positions: (lane === 0
      ? readRange.all({ namespace, process, from, to, take })
      : readLane.all({ namespace, process, from, to, lane, take })) as number[],
    take,
  });
  const take = firstTake(laneRanges.length, limit);
  const reads = laneRanges.map((l) => read(l, take));
  for (;;) {
    const choice = chooseNearest(reads, order, limit);
    if (choice.done) {
      const rows = statements.get(CAUSALITY_SQL.rows(order)).raw().all(JSON.stringify(choice.positions)) as unknown[][];
      return rows.map(valuesToEvent);
    }
    for (const [i, deeper] of choice.deeper) reads[i] = read(laneRanges[i]!, deeper);
  }
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
    return ranges.reduce((sum, r) => sum + (statement.get({ namespace, process: r.process, from: r.from, to: r.to }) as number), 0);
  };
  const pastCount = count(past);
  const futureCount = count(future);
  const total = statements.get(CAUSALITY_SQL.namespaceCount).pluck().get(namespace) as number;
  return {
    event: target,
    past: nearestEvents(statements, namespace, past, 'DESC', limit),
    future: nearestEvents(statements, namespace, future, 'ASC', limit),
    pastCount,
    futureCount,
    concurrent: total - pastCount - futureCount - 1,
  };
}
