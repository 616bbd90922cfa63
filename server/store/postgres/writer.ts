/**
 * Group commit on PostgreSQL with several transactions in flight. Append calls queue up; at the end of the turn they
 * are cut into groups (a few calls each, more when many wait) and each group is one transaction, up to `maxInFlight`
 * at once on connections of their own. Calls settle in the order they were made, each after its transaction commits.
 *
 * How concurrent transactions stay correct:
 * - Positions are reserved (positions.ts): readers stop below the lowest unsettled one, so transactions may commit in
 *   any order and no reader sees position n + 1 before n.
 * - A process's numbering (its events' `seq` and lanes, see ../causality.ts) has one writer at a time: each group locks
 *   its processes' rows in `process_heads` in one statement, in sorted order (so two groups never wait on each other
 *   in a cycle), reads their state there and writes the new state before it commits. A process's events are
 *   therefore numbered in the order of their positions, and no number is given twice.
 * - Stream versions and event identities are guarded by their unique indexes. Another process's transaction that
 *   takes a version or an id first makes this one fail on the index; it is then planned again, and a stale expected
 *   version or a duplicate is then answered as the conformance suite says.
 * - Groups are planned one after another, each on what the groups before it still in flight will change
 *   (in-flight.ts), as if they commit: a group whose calls touch a stream, process or id of an earlier one does not
 *   wait for it to commit before it writes, only before it commits, by waiting on the lock the earlier transaction
 *   holds on its own token (so PostgreSQL sees that wait, and finds any deadlock through it). It then locks the rows
 *   of the processes it planned that way and checks that the earlier transaction was the last to write them. A group
 *   whose earlier group failed, or that lost a race to another process's transaction, rolls back; once every group in
 *   flight has ended, the calls of the failed ones are planned again, in their order.
 */
import { randomInt } from 'node:crypto';
import type pg from 'pg';
import type { VectorClock } from '../../../shared/clock.js';
import type { StoredEvent } from '../../../shared/event.js';
import { placeAfter, planGroup, type AppendCall, type GroupPlan, type LatestClock } from '../plan.js';
import type { AppendResult } from '../types.js';
import { CAUSALITY_SQL } from './causality.js';
import { InFlightChanges, identityOf, keyOf } from './in-flight.js';
import { POSITION_SQL, PositionReservations } from './positions.js';
import { eventColumns, toEvent, type EventRow } from './rows.js';
import { storeErrorOf } from './transaction.js';

interface Pending {
  call: AppendCall;
  /** Its place among the calls made, to keep their order when some are planned again. */
  order: number;
  attempts: number;
  resolve: (results: AppendResult[]) => void;
  reject: (error: unknown) => void;
}

/** Events a group takes before it is cut, unless many calls wait: then they are shared among the free slots. */
const GROUP_EVENTS = 200;
const MAX_GROUP_EVENTS = 5000;
/** A call whose transaction keeps losing races to other processes' gives up after this many attempts. */
const MAX_ATTEMPTS = 10;
/** The first key of the advisory locks groups hold on their tokens (the second is the token). */
const GROUP_LOCK = 1_130_460_531;
/** SQLSTATEs of a transaction that lost a race and may be tried again: unique_violation, deadlock, serialization. */
const RACES = new Set(['23505', '40P01', '40001']);

/** A group failed for a reason that goes away when it is planned again. */
class PlanAgain extends Error {}

export const WRITE_SQL = {
  begin: (token: number) => `BEGIN; SELECT pg_current_xact_id()::text AS xid, pg_advisory_xact_lock(${GROUP_LOCK}, ${token})`,
  /**
   * Locks the processes' rows (created when missing) in sorted order and reads their state. The group then reads the
   * rest in a statement of its own, so that it sees what the transaction it may have waited for here wrote.
   */
  lockProcesses: `INSERT INTO process_heads AS h (namespace, process, events, own, clock, lanes)
    SELECT k.namespace, k.process, 0, 0, '{}', '[]' FROM unnest($1::text[], $2::text[]) AS k (namespace, process)
    ORDER BY k.namespace, k.process
    ON CONFLICT (namespace, process) DO UPDATE SET writer = h.writer
    RETURNING h.namespace, h.process, h.events, h.own, h.clock, h.lanes`,
  /**
   * The events stored with the calls' sources and ids, and the streams' versions: one index seek each (a lateral
   * subquery with a limit, which the planner cannot turn into a join that reads the whole table).
   */
  load: `SELECT
      (SELECT coalesce(json_agg(s), '[]') FROM unnest($1::text[], $2::text[], $3::text[]) AS k (namespace, id, source)
       CROSS JOIN LATERAL (SELECT k.namespace, ${eventColumns('e')} FROM events AS e
                           WHERE e.namespace = k.namespace AND e.id = k.id AND e.source = k.source LIMIT 1) AS s) AS stored,
      (SELECT coalesce(json_agg(json_build_array(k.namespace, k.stream,
         (SELECT coalesce(max(e.version), 0) FROM events AS e WHERE e.namespace = k.namespace AND e.stream = k.stream))), '[]')
       FROM unnest($4::text[], $5::text[]) AS k (namespace, stream)) AS versions`,
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
  /** Waits until the earlier groups with these tokens have ended. */
  waitFor: `SELECT pg_advisory_xact_lock_shared(${GROUP_LOCK}, t) FROM unnest($1::integer[]) AS t`,
  /** Locks, in sorted order, the rows of processes planned on earlier groups' changes; who wrote each last. */
  lockPlanned: `SELECT h.namespace, h.process, h.writer::text AS writer
    FROM (SELECT * FROM unnest($1::text[], $2::text[]) AS k (namespace, process) ORDER BY 1, 2) AS k
    CROSS JOIN LATERAL (SELECT * FROM process_heads AS h WHERE h.namespace = k.namespace AND h.process = k.process FOR UPDATE) AS h`,
  /** Clock entries, the processes' new state, the reservation settled (and any left by a rollback), a notification. */
  finish: `WITH entries AS (
      INSERT INTO clock_entries (namespace, peer, owner, counter, own)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[]) ON CONFLICT DO NOTHING),
    heads AS (
      INSERT INTO process_heads AS h (namespace, process, events, own, clock, lanes, writer)
      SELECT u.namespace, u.process, u.events, u.own, u.clock::json, u.lanes::json, pg_current_xact_id()
      FROM unnest($6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::text[], $11::text[]) AS u (namespace, process, events, own, clock, lanes)
      ON CONFLICT (namespace, process) DO UPDATE
      SET events = excluded.events, own = excluded.own, clock = excluded.clock, lanes = excluded.lanes, writer = excluded.writer
      RETURNING xmax <> 0 AS updated),
    settled AS (${POSITION_SQL.settle}),
    swept AS (${POSITION_SQL.sweep})
    SELECT (SELECT count(*) FILTER (WHERE updated) FROM heads)::integer AS heads, pg_notify($12, '')`,
};

/** One group of calls, one transaction (per attempt). */
class Group {
  /** Locked by its transaction from its start: later groups wait on it before they commit. */
  readonly token = randomInt(1, 2 ** 31 - 1);
  /** Its transaction's id, `xid8` as text. */
  xid = '';
  plan: GroupPlan | null = null;
  /** Earlier groups in flight whose planned changes this one was planned on. */
  readonly after = new Set<Group>();
  /** The processes it planned on earlier groups' changes, by key, with the transaction expected to have written them. */
  readonly plannedProcesses = new Map<string, string>();
  /** Resolves true once committed, false once failed. */
  readonly ended: Promise<boolean>;
  end!: (committed: boolean) => void;

  constructor(
    readonly pending: Pending[],
    /** Settles once the calls of every earlier group have settled: calls settle in order. */
    readonly earlier: Promise<void>,
  ) {
    this.ended = new Promise((resolve) => (this.end = resolve));
  }

  get calls(): AppendCall[] {
    return this.pending.map((p) => p.call);
  }
}

/** Turns taken one after another, in the order taken: a turn is ready once every earlier one is done. */
class Turns {
  private last: Promise<void> = Promise.resolve();

  take(): { ready: Promise<void>; done: () => void } {
    let done!: () => void;
    const ready = this.last;
    const mine = new Promise<void>((resolve) => (done = resolve));
    // Done early (a group that failed before its turn) still lets the next one go only after the earlier ones.
    this.last = Promise.all([ready, mine]).then(() => undefined);
    return { ready, done };
  }
}

export class PostgresGroupCommitter {
  private queue: Pending[] = [];
  private queuedEvents = 0;
  private calls = 0;
  private scheduled = false;
  private readonly inFlight = new Set<Group>();
  private readonly changes = new InFlightChanges<Group>();
  private readonly planning = new Turns();
  /** Calls settle in order: the settling of the last group started. */
  private lastSettled: Promise<void> = Promise.resolve();
  /** Once a group failed: the calls to plan again once every group in flight has ended (none start meanwhile). */
  private again: Pending[] | null = null;
  private idleWaiters: (() => void)[] = [];
  private readonly reservations: PositionReservations;

  constructor(
    private readonly pool: pg.Pool,
    private readonly channel: string,
    private readonly onCommit: () => void,
    private readonly maxInFlight = 4,
  ) {
    this.reservations = new PositionReservations(pool);
  }

  append(call: AppendCall): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ call, order: this.calls++, attempts: 0, resolve, reject });
      this.queuedEvents += call.events.length;
      this.schedule();
    });
  }

  /** Resolves once every call made so far has settled. */
  idle(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    await this.idle();
    await this.reservations.close();
  }

  private get isIdle(): boolean {
    return this.queue.length === 0 && this.inFlight.size === 0 && this.again === null;
  }

  /** Starts groups at the end of this turn, so that the calls made in it can share them. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startGroups();
    });
  }

  private startGroups(): void {
    while (this.queue.length > 0 && this.again === null && this.inFlight.size < this.maxInFlight) {
      const free = this.maxInFlight - this.inFlight.size;
      const size = Math.min(MAX_GROUP_EVENTS, Math.max(GROUP_EVENTS, Math.ceil(this.queuedEvents / free)));
      let events = 0;
      let taken = 0;
      while (taken < this.queue.length && (taken === 0 || events + this.queue[taken]!.call.events.length <= size)) {
        events += this.queue[taken]!.call.events.length;
        taken += 1;
      }
      const pending = this.queue.splice(0, taken);
      this.queuedEvents -= events;
      const group = new Group(pending, this.lastSettled);
      this.inFlight.add(group);
      this.lastSettled = this.run(group).catch((error: unknown) => {
        for (const p of pending) p.reject(error);
      });
    }
  }

  /** One attempt at the group's transaction; settles its calls (or keeps them to plan again) once earlier ones have. */
  private async run(group: Group): Promise<void> {
    const turn = this.planning.take();
    let outcome: { ok: true } | { ok: false; error: unknown; again: boolean };
    try {
      await this.transaction(group, turn);
      outcome = { ok: true };
    } catch (error) {
      outcome = { ok: false, error: error instanceof PlanAgain ? error : storeErrorOf(error), again: isRace(error) };
      this.again ??= []; // no group starts until the ones in flight have ended
    } finally {
      turn.done(); // should it have failed before its turn was done
    }
    this.changes.forget(group);
    group.end(outcome.ok);
    await group.earlier;
    if (outcome.ok) {
      const plan = group.plan!;
      plan.outcomes.forEach((o, i) => {
        const p = group.pending[i]!;
        if (o.ok) p.resolve(o.results);
        else p.reject(o.error);
      });
      if (plan.writes.length > 0) this.onCommit();
    } else {
      this.again ??= [];
      for (const p of group.pending) {
        if (outcome.again && ++p.attempts < MAX_ATTEMPTS) this.again.push(p);
        else p.reject(outcome.error);
      }
    }
    this.inFlight.delete(group);
    if (this.again !== null && this.inFlight.size === 0) {
      // Every group planned on a failed one has ended too: plan the failed calls again, first, in their order.
      const again = this.again.sort((a, b) => a.order - b.order);
      this.again = null;
      this.queue = [...again, ...this.queue];
      this.queuedEvents += again.reduce((n, p) => n + p.call.events.length, 0);
    }
    if (this.queue.length > 0) this.schedule();
    else if (this.isIdle) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async transaction(group: Group, turn: { ready: Promise<void>; done: () => void }): Promise<void> {
    const client = await this.pool.connect();
    let broken = false;
    let committed = false;
    let reserved: { low: number; count: number } | null = null;
    try {
      const begun = (await client.query(WRITE_SQL.begin(group.token))) as unknown as pg.QueryResult<{ xid: string }>[];
      group.xid = begun[1]!.rows[0]!.xid;
      await turn.ready;
      try {
        const plan = await this.plan(client, group);
        if (plan.writes.length > 0) {
          // Positions are taken in the order groups are planned, before the next group is planned on this one's events.
          const low = await this.reservations.reserve(group.xid, plan.writes.length);
          reserved = { low, count: plan.writes.length };
          placeAfter(plan, low - 1);
        }
        this.changes.record(group, plan, group.xid);
      } finally {
        turn.done();
      }
      const plan = group.plan!;
      if (plan.writes.length > 0) await client.query({ name: 'cw_insert_events', text: WRITE_SQL.insertEvents, values: eventColumnsOf(plan) });
      if (group.after.size > 0) await this.waitForEarlier(client, group);
      if (plan.writes.length === 0) {
        await client.query('ROLLBACK'); // nothing to write: the process rows it locked are let go
        return;
      }
      if (plan.renumber.length > 0) {
        await client.query(CAUSALITY_SQL.renumber, [0, 1, 2].map((i) => plan.renumber.map((r) => [r.namespace, r.process, r.from][i])));
      }
      const { rows } = await client.query<{ heads: number }>({ name: 'cw_finish', text: WRITE_SQL.finish, values: finishValues(plan, this.channel) });
      if (rows[0]!.heads !== plan.clocks.length) throw new PlanAgain('a process this group numbered was dropped meanwhile');
      await client.query('COMMIT');
      committed = true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true; // the connection is gone or unusable: do not return it to the pool
      });
      throw error;
    } finally {
      client.release(broken);
      // The positions of a transaction that did not commit are let go (and given back when no one took later ones).
      // Should that fail, the reservation stays until the next append sweeps it away (POSITION_SQL.sweep).
      if (reserved && !committed) await this.reservations.release(group.xid, reserved.low, reserved.count).catch(() => undefined);
    }
  }

  /** The group planned on the earlier groups' changes where its keys have some, else on what the database holds. */
  private async plan(client: pg.PoolClient, group: Group): Promise<GroupPlan> {
    const calls = group.calls;
    const events = new Map<string, StoredEvent>();
    const versions = new Map<string, number>();
    const clocks = new Map<string, LatestClock | null>();
    const load = { processes: [[], []] as string[][], identities: [[], [], []] as string[][], streams: [[], []] as string[][] };
    for (const { namespace, events: checked } of calls) {
      for (const { draft } of checked) {
        const identity = identityOf(namespace, draft.source, draft.id);
        if (!events.has(identity)) {
          const entry = this.changes.event(identity);
          if (entry) this.plannedOn(group, entry.owner);
          else push(load.identities, namespace, draft.id, draft.source);
          events.set(identity, entry?.value as StoredEvent);
        }
        const stream = keyOf(namespace, draft.stream);
        if (!versions.has(stream)) {
          const entry = this.changes.version(stream);
          if (entry) this.plannedOn(group, entry.owner);
          else push(load.streams, namespace, draft.stream);
          versions.set(stream, entry?.value ?? 0);
        }
        const process = keyOf(namespace, draft.process);
        if (!clocks.has(process)) {
          const entry = this.changes.clock(process);
          if (entry) {
            this.plannedOn(group, entry.owner);
            group.plannedProcesses.set(process, entry.value.writer);
          } else push(load.processes, namespace, draft.process);
          clocks.set(process, entry?.value.latest ?? null);
        }
      }
    }
    if (load.processes[0]!.length > 0) {
      const { rows } = await client.query<HeadRow>({ name: 'cw_lock_processes', text: WRITE_SQL.lockProcesses, values: load.processes });
      for (const h of rows) {
        const events = Number(h.events);
        clocks.set(keyOf(h.namespace, h.process), events === 0 ? null : { own: Number(h.own), clock: h.clock, events, lanes: h.lanes });
      }
    }
    const { rows } = await client.query<LoadRow>({ name: 'cw_load', text: WRITE_SQL.load, values: [...load.identities, ...load.streams] });
    const loaded = rows[0]!;
    for (const row of loaded.stored) events.set(identityOf(row.namespace, row.source, row.id), toEvent(row));
    for (const [namespace, stream, version] of loaded.versions) versions.set(keyOf(namespace, stream), version);
    group.plan = planGroup(calls, {
      head: 0,
      stored: (namespace, source, id) => events.get(identityOf(namespace, source, id)),
      version: (namespace, stream) => versions.get(keyOf(namespace, stream)) ?? 0,
      latestClock: (namespace, process) => clocks.get(keyOf(namespace, process)) ?? null,
    });
    return group.plan;
  }

  private plannedOn(group: Group, owner: Group): void {
    if (owner !== group) group.after.add(owner);
  }

  /**
   * Waits for the earlier groups this one was planned on (on their tokens' locks, so PostgreSQL sees the wait), fails
   * should one of them have failed, and locks the rows of the processes planned on their changes, checking that each
   * was written last by the transaction this group expects.
   */
  private async waitForEarlier(client: pg.PoolClient, group: Group): Promise<void> {
    const earlier = [...group.after];
    await client.query({ name: 'cw_wait', text: WRITE_SQL.waitFor, values: [earlier.map((g) => g.token)] });
    for (const g of earlier) if (!(await g.ended)) throw new PlanAgain('an earlier group this one was planned on failed');
    const planned = group.plannedProcesses;
    if (planned.size === 0) return;
    const namespaces: string[] = [];
    const processes: string[] = [];
    const expected = new Map<string, string>();
    for (const [key, writer] of planned) {
      const [namespace, process] = key.split('\u0000') as [string, string];
      namespaces.push(namespace);
      processes.push(process);
      expected.set(key, writer);
    }
    const { rows } = await client.query<{ namespace: string; process: string; writer: string | null }>({
      name: 'cw_lock_planned',
      text: WRITE_SQL.lockPlanned,
      values: [namespaces, processes],
    });
    const current = new Map(rows.map((r) => [keyOf(r.namespace, r.process), r.writer]));
    for (const [key, writer] of expected) {
      if (current.get(key) !== writer) throw new PlanAgain('another transaction wrote a process this group was planned on');
    }
  }

}

interface HeadRow {
  namespace: string;
  process: string;
  events: string;
  own: string;
  clock: VectorClock;
  lanes: number[];
}

interface LoadRow {
  stored: (EventRow & { namespace: string })[];
  versions: [string, string, number][];
}

function isRace(error: unknown): boolean {
  if (error instanceof PlanAgain) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RACES.has(code);
}

function push(columns: string[][], ...values: string[]): void {
  values.forEach((value, i) => columns[i]!.push(value));
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

/** The values of `finish`: clock entries, the processes' new state, the notification channel. */
function finishValues(plan: GroupPlan, channel: string): unknown[] {
  const entries: unknown[][] = [[], [], [], [], []];
  for (const w of plan.writes) {
    for (const [peer, counter] of w.clockEntries) push(entries as string[][], w.namespace, peer, w.event.process, counter as unknown as string, w.own as unknown as string);
  }
  const heads: unknown[][] = [[], [], [], [], [], []];
  for (const { namespace, process, latest } of plan.clocks) {
    const row = [namespace, process, latest.events, latest.own, JSON.stringify(latest.clock), JSON.stringify(latest.lanes)];
    row.forEach((value, i) => heads[i]!.push(value));
  }
  return [...entries, ...heads, channel];
}
