/**
 * Group commit on PostgreSQL: one transaction in flight per store; append calls that arrive meanwhile wait and
 * go together into the next one. Each transaction first locks the head row, so writers of every process take
 * turns and positions become visible in order; it then loads, in a few set queries, what the plan needs (the events
 * stored with the calls' sources and ids, stream versions, latest clocks), plans with `planGroup`, and writes the plan
 * with array parameters.
 */
import type pg from 'pg';
import type { VectorClock } from '../../../shared/clock.js';
import type { StoredEvent } from '../../../shared/event.js';
import { planGroup, type AppendCall, type GroupPlan, type LatestClock } from '../plan.js';
import type { AppendResult } from '../types.js';
import { CAUSALITY_SQL } from './causality.js';
import { eventColumns, toEvent, type EventRow } from './rows.js';
import { withTransaction } from './transaction.js';

interface Pending {
  call: AppendCall;
  resolve: (results: AppendResult[]) => void;
  reject: (error: unknown) => void;
}

/** The highest own counter of each of the process `k` lanes 1, 2, …, as a JSON array: one index seek per lane. */
const LANE_TOPS = `(WITH RECURSIVE lanes (lane, top) AS (
    SELECT 1, (SELECT s.own FROM events AS s WHERE s.namespace = k.namespace AND s.process = k.process AND s.lane = 1 AND s.lane > 0
               ORDER BY s.own DESC LIMIT 1)
    UNION ALL
    SELECT n.lane + 1, (SELECT s.own FROM events AS s
                        WHERE s.namespace = k.namespace AND s.process = k.process AND s.lane = n.lane + 1 AND s.lane > 0
                        ORDER BY s.own DESC LIMIT 1)
    FROM lanes AS n WHERE n.top IS NOT NULL)
  SELECT coalesce(json_agg(top ORDER BY lane) FILTER (WHERE top IS NOT NULL), '[]') FROM lanes)`;

const SQL = {
  lockHead: `SELECT head FROM store_head FOR UPDATE`,
  setHead: `UPDATE store_head SET head = $1`,
  stored: `SELECT k.namespace AS namespace, ${eventColumns('e')} FROM unnest($1::text[], $2::text[], $3::text[]) AS k (namespace, id, source)
    JOIN events AS e ON e.namespace = k.namespace AND e.id = k.id AND e.source = k.source`,
  versions: `SELECT k.namespace, k.stream,
      coalesce((SELECT max(e.version) FROM events AS e WHERE e.namespace = k.namespace AND e.stream = k.stream), 0) AS version
    FROM unnest($1::text[], $2::text[]) AS k (namespace, stream)`,
  clocks: `SELECT k.namespace, k.process, l.own, l.vector_clock, l.seq, ${LANE_TOPS} AS lanes
    FROM unnest($1::text[], $2::text[]) AS k (namespace, process)
    JOIN LATERAL (SELECT e.own, e.vector_clock, e.seq FROM events AS e WHERE e.namespace = k.namespace AND e.process = k.process
                  ORDER BY e.own DESC, e.seq DESC LIMIT 1) AS l ON true`,
  insertEvents: `INSERT INTO events (position, namespace, id, type, source, time, time_key, subject, datacontenttype, data,
      stream, version, process, own, vector_clock, correlation_id, causation_id, flow_id, node_id, revision, metadata, seq, lane)
    SELECT u.position, u.namespace, u.id, u.type, u.source, u.time, u.time_key, u.subject, u.datacontenttype, u.data::json,
      u.stream, u.version, u.process, u.own, u.vector_clock::json, u.correlation_id, u.causation_id, u.flow_id, u.node_id,
      u.revision, u.metadata::json, u.seq, u.lane
    FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
      $10::text[], $11::text[], $12::integer[], $13::text[], $14::bigint[], $15::text[], $16::text[], $17::text[], $18::text[],
      $19::text[], $20::integer[], $21::text[], $22::bigint[], $23::integer[])
      AS u (position, namespace, id, type, source, time, time_key, subject, datacontenttype, data, stream, version, process,
            own, vector_clock, correlation_id, causation_id, flow_id, node_id, revision, metadata, seq, lane)`,
  insertClockEntries: `INSERT INTO clock_entries (namespace, peer, owner, counter, own)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[]) ON CONFLICT DO NOTHING`,
  countEvents: `INSERT INTO namespaces (namespace, events) SELECT * FROM unnest($1::text[], $2::bigint[])
    ON CONFLICT (namespace) DO UPDATE SET events = namespaces.events + excluded.events`,
  notify: `SELECT pg_notify($1, '')`,
};

const keyOf = (namespace: string, name: string) => `${namespace}\u0000${name}`;
/** An event's identity as a key: the source's length first, so no two pairs give the same text. */
const identityOf = (namespace: string, source: string, id: string) => `${namespace}\u0000${source.length}:${source}${id}`;

/** Distinct (namespace, name) pairs as two parallel arrays. */
function pairs(calls: AppendCall[], name: (c: AppendCall['events'][number]) => string): [string[], string[]] {
  const seen = new Set<string>();
  const namespaces: string[] = [];
  const names: string[] = [];
  for (const { namespace, events } of calls) {
    for (const event of events) {
      const value = name(event);
      const key = keyOf(namespace, value);
      if (seen.has(key)) continue;
      seen.add(key);
      namespaces.push(namespace);
      names.push(value);
    }
  }
  return [namespaces, names];
}

/** The distinct (namespace, id, source) triples of the calls' events, as three parallel arrays. */
function identities(calls: AppendCall[]): [string[], string[], string[]] {
  const seen = new Set<string>();
  const columns: [string[], string[], string[]] = [[], [], []];
  for (const { namespace, events } of calls) {
    for (const { draft } of events) {
      const key = identityOf(namespace, draft.source, draft.id);
      if (seen.has(key)) continue;
      seen.add(key);
      columns[0].push(namespace);
      columns[1].push(draft.id);
      columns[2].push(draft.source);
    }
  }
  return columns;
}

export class PostgresGroupCommitter {
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly channel: string,
    private readonly onCommit: () => void,
  ) {}

  append(call: AppendCall): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ call, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Resolves once every call queued so far is settled. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    // Let the calls made in this turn of the event loop join the first group.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const pending = this.queue;
      this.queue = [];
      await this.commit(pending);
    }
    this.running = null;
  }

  private async commit(pending: Pending[]): Promise<void> {
    let plan: GroupPlan;
    try {
      plan = await this.transaction(pending.map((p) => p.call));
    } catch (error) {
      for (const p of pending) p.reject(error);
      return;
    }
    plan.outcomes.forEach((outcome, i) => {
      const p = pending[i]!;
      if (outcome.ok) p.resolve(outcome.results);
      else p.reject(outcome.error);
    });
    if (plan.writes.length > 0) this.onCommit();
  }

  private transaction(calls: AppendCall[]): Promise<GroupPlan> {
    return withTransaction(this.pool, (client) => this.write(client, calls));
  }

  private async write(client: pg.PoolClient, calls: AppendCall[]): Promise<GroupPlan> {
    const head = Number((await client.query<{ head: string }>(SQL.lockHead)).rows[0]!.head);
    const [stored, versions, clocks] = await this.load(client, calls);
    const plan = planGroup(calls, {
      head,
      stored: (namespace, source, id) => stored.get(identityOf(namespace, source, id)),
      version: (namespace, stream) => versions.get(keyOf(namespace, stream)) ?? 0,
      latestClock: (namespace, process) => clocks.get(keyOf(namespace, process)) ?? null,
    });
    if (plan.writes.length === 0) return plan;
    await client.query(SQL.insertEvents, eventColumnsOf(plan));
    const entries = plan.writes.flatMap((w) =>
      w.clockEntries.map(([peer, counter]) => [w.namespace, peer, w.event.process, counter, w.own] as const),
    );
    if (entries.length > 0) await client.query(SQL.insertClockEntries, [0, 1, 2, 3, 4].map((i) => entries.map((e) => e[i])));
    await client.query(SQL.countEvents, [[...plan.added.keys()], [...plan.added.values()]]);
    if (plan.renumber.length > 0) {
      await client.query(CAUSALITY_SQL.renumber, [0, 1, 2].map((i) => plan.renumber.map((r) => [r.namespace, r.process, r.from][i])));
    }
    await client.query(SQL.setHead, [plan.head]);
    await client.query(SQL.notify, [this.channel]);
    return plan;
  }

  private async load(
    client: pg.PoolClient,
    calls: AppendCall[],
  ): Promise<[Map<string, StoredEvent>, Map<string, number>, Map<string, LatestClock>]> {
    const stored = new Map<string, StoredEvent>();
    for (const row of (await client.query<EventRow & { namespace: string }>(SQL.stored, identities(calls))).rows) {
      stored.set(identityOf(row.namespace, row.source, row.id), toEvent(row));
    }
    const versions = new Map<string, number>();
    for (const row of (await client.query<{ namespace: string; stream: string; version: number }>(
      SQL.versions,
      pairs(calls, (e) => e.draft.stream),
    )).rows) {
      versions.set(keyOf(row.namespace, row.stream), row.version);
    }
    const clocks = new Map<string, LatestClock>();
    for (const row of (await client.query<{ namespace: string; process: string; own: string; vector_clock: VectorClock; seq: string; lanes: number[] }>(
      SQL.clocks,
      pairs(calls, (e) => e.draft.process),
    )).rows) {
      clocks.set(keyOf(row.namespace, row.process), { own: Number(row.own), clock: row.vector_clock, events: Number(row.seq), lanes: row.lanes });
    }
    return [stored, versions, clocks];
  }
}

/** The plan's new events as 23 parallel arrays, in the column order of `insertEvents`. */
function eventColumnsOf(plan: GroupPlan): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 23 }, () => []);
  for (const w of plan.writes) {
    const e = w.event;
    const row = [
      e.position, w.namespace, e.id, e.type, e.source, e.time, w.timeKey, e.subject, e.datacontenttype, w.data,
      e.stream, e.version, e.process, w.own, w.vectorClock, e.correlationId, e.causationId, e.flowId, e.nodeId,
      e.revision, w.metadata, w.seq, w.lane,
    ];
    row.forEach((value, i) => columns[i]!.push(value));
  }
  return columns;
}
