/**
 * Group commit on PostgreSQL with several transactions in flight. Append calls queue up; at the end of the turn they
 * are cut into groups (a few calls each, more when many wait) and each group is one transaction, up to `maxInFlight`
 * at once on connections of their own. Calls settle in the order they were made, each after its transaction commits.
 *
 * How concurrent transactions stay correct:
 * - Positions are reserved (positions.ts): readers stop below the lowest unsettled one, so transactions may commit in
 *   any order and no reader sees position n + 1 before n.
 * - Each group reads what its plan needs (the events stored with its sources and ids, its streams' versions, its
 *   processes' rows in `process_heads`) while earlier groups are still being planned; then the groups are planned one
 *   after another, each on the changes of the groups before it that are still in flight or committed since it read
 *   (in-flight.ts), and take their positions in that order. So a group writes at once; it waits for an earlier group
 *   it was planned on only before it commits, on the lock that group's transaction holds on its own token (so that
 *   PostgreSQL sees the wait, and finds any deadlock through it).
 * - A process's numbering (its events' `seq` and lanes, see ../causality.ts) has one writer at a time: before it
 *   commits, a group writes its processes' rows in one statement, in sorted order (so that two transactions never
 *   wait on each other in a cycle), and only where the row is still as its plan found it — written last by the
 *   transaction it expects. A process's events are therefore numbered in the order of their positions, and no number
 *   is given twice.
 * - Stream versions and event identities are guarded by their unique indexes. An event appended again while its
 *   first append is still in flight is found there: the later transaction waits for the earlier one, fails, and is
 *   planned again on what is then stored.
 * A group that lost a race to another process's transaction (a row no longer as planned, a version or id taken
 * first), or whose earlier group failed, rolls back; once every group in flight has ended, the calls of the failed
 * ones are planned again, in their order — a stale expected version or a duplicate is then answered as the
 * conformance suite says. Positions a rolled-back transaction had reserved are given back when no one reserved after
 * it; else they stay unused.
 */
import { randomInt } from 'node:crypto';
import type pg from 'pg';
import type { VectorClock } from '../../../shared/clock.js';
import type { StoredEvent } from '../../../shared/event.js';
import { placeAfter, planGroup, type AppendCall, type GroupPlan, type LatestClock } from '../plan.js';
import type { Fence } from '../cluster.js';
import type { AppendResult } from '../types.js';
import { arrayLiteral } from './array-literal.js';
import { CAUSALITY_SQL } from './causality.js';
import { DENSITY_SQL, densityCountValues } from './density.js';
import { InFlightChanges, keyOf, type Entry, type ProcessHead } from './in-flight.js';
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

/**
 * Events a group takes before it is cut, unless many calls wait: then they are shared among the free slots, up to the
 * most one transaction takes (a call is never split: one larger than that is a group of its own).
 */
const GROUP_EVENTS = 200;
const MAX_GROUP_EVENTS = 5000;
/** A call whose transaction keeps losing races to other processes' gives up after this many attempts. */
const MAX_ATTEMPTS = 30;
/** The longest pause before calls that lost races are planned again. */
const MAX_PAUSE_MS = 250;
/** Streams a group locks at most (in their keys' order); the others are guarded by their unique index alone. */
const MAX_STREAM_LOCKS = 256;
/** The first key of the advisory locks groups hold on their tokens (the second is the token). */
const GROUP_LOCK = 1_130_460_531;
/** SQLSTATEs of a transaction that lost a race and may be tried again: unique_violation, deadlock, serialization. */
const RACES = new Set(['23505', '40P01', '40001']);
/** The writer a row never has: the one expected of a row expected not to exist. */
const NO_ROW = '0';

/** A group failed for a reason that goes away when it is planned again. */
class PlanAgain extends Error {}

export const WRITE_SQL = {
  /**
   * Every statement of a group reads by index (a few rows per key). PostgreSQL keeps the plans of prepared statements
   * per connection: made while the tables are small (a new store) they may read whole tables, and keep doing so once
   * the tables are large. Without sequential scans they cannot. Their estimates then pass jit_above_cost: without JIT
   * compilation, which took 300–500 ms a statement.
   */
  begin: (token: number) =>
    `BEGIN; SET LOCAL enable_seqscan = off; SET LOCAL jit = off;
     SELECT pg_current_xact_id()::text AS xid, pg_advisory_xact_lock(${GROUP_LOCK}, ${token})`,
  /**
   * What a plan needs of the database: the processes' rows, locked in sorted order (created when missing), each with
   * whether the transaction that wrote it last is one this statement sees (when not, it committed while the statement
   * waited for the row, and the rest is read again); the streams, locked by advisory locks in their keys' order, and
   * whether none had to be waited for (else the rest is read again); the events stored with the calls' sources and
   * ids; the streams' versions. One index seek each, the reads as lateral subqueries with a limit (which the planner
   * cannot turn into joins that read whole tables). Stream locks only spare another process's transaction a lost race
   * for a version: the unique index guards the versions. The fences of partitions' runs that still hold, their lease
   * rows held (FOR SHARE) until the transaction ends, so that no take-over commits between this check and the commit.
   */
  read: `WITH streams AS (
      SELECT CASE WHEN pg_try_advisory_xact_lock(k.key) THEN true ELSE (SELECT false FROM pg_advisory_xact_lock(k.key) AS w) END AS at_once
      FROM (SELECT hashtextextended(u.namespace || E'\\x1f' || u.stream, 0) AS key FROM unnest($8::text[], $9::text[]) AS u (namespace, stream)
            ORDER BY 1) AS k),
    heads AS (
      INSERT INTO process_heads AS h (namespace, process, events, own, clock, lanes)
      SELECT k.namespace, k.process, 0, 0, '{}', '[]' FROM unnest($6::text[], $7::text[]) AS k (namespace, process) ORDER BY 1, 2
      ON CONFLICT (namespace, process) DO UPDATE SET writer = h.writer
      RETURNING h.namespace, h.process, h.events, h.own, h.clock, h.lanes, h.writer::text AS writer,
                h.xmax = 0 OR coalesce(pg_visible_in_snapshot(h.writer, pg_current_snapshot()), true) AS seen),
    held AS (
      SELECT l.flow_id, l.partition, l.owner, l.epoch FROM partition_leases AS l
      JOIN unnest($10::text[], $11::integer[], $12::text[], $13::bigint[]) AS f (flow_id, partition, owner, epoch)
        ON l.flow_id = f.flow_id AND l.partition = f.partition AND l.owner = f.owner AND l.epoch = f.epoch
      ORDER BY l.flow_id, l.partition FOR SHARE OF l)
    SELECT
      (SELECT coalesce(json_agg(s), '[]') FROM unnest($1::text[], $2::text[], $3::text[]) AS k (namespace, id, source)
       CROSS JOIN LATERAL (SELECT k.namespace, ${eventColumns('e')} FROM events AS e
                           WHERE e.namespace = k.namespace AND e.id = k.id AND e.source = k.source LIMIT 1) AS s) AS stored,
      (SELECT coalesce(json_agg(json_build_array(k.namespace, k.stream,
         (SELECT coalesce(max(e.version), 0) FROM events AS e WHERE e.namespace = k.namespace AND e.stream = k.stream))), '[]')
       FROM unnest($4::text[], $5::text[]) AS k (namespace, stream)) AS versions,
      (SELECT coalesce(json_agg(heads), '[]') FROM heads) AS heads,
      (SELECT coalesce(bool_and(at_once), true) FROM streams) AS streams_at_once,
      (SELECT coalesce(json_agg(json_build_array(flow_id, partition, owner, epoch)), '[]') FROM held) AS fences`,
  /**
   * The group's writes in one statement, in this order (each step reads the one before it, so that none starts
   * early): its events; the wait for the earlier groups (their tokens) it was planned on; the processes' new rows,
   * written in sorted order, those the group did not lock only where the row is as the plan found it (written last by
   * the transaction it expects, `0` for no row: such a row is inserted), with which were inserted and which updated;
   * the clock entries. With them the reservation settled (and any a rollback left), a notification.
   */
  write: `WITH inserted AS (
      INSERT INTO events (position, namespace, id, type, source, time, time_key, subject, datacontenttype, data,
        stream, version, process, own, vector_clock, correlation_id, causation_id, flow_id, node_id, revision, metadata, seq, lane)
      SELECT u.position, u.namespace, u.id, u.type, u.source, u.time, u.time_key, u.subject, u.datacontenttype, u.data::json,
        u.stream, u.version, u.process, u.own, u.vector_clock::json, u.correlation_id, u.causation_id, u.flow_id, u.node_id,
        u.revision, u.metadata::json, u.seq, u.lane
      FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
        $10::text[], $11::text[], $12::integer[], $13::text[], $14::bigint[], $15::text[], $16::text[], $17::text[], $18::text[],
        $19::text[], $20::integer[], $21::text[], $22::bigint[], $23::integer[])
        AS u (position, namespace, id, type, source, time, time_key, subject, datacontenttype, data, stream, version, process,
              own, vector_clock, correlation_id, causation_id, flow_id, node_id, revision, metadata, seq, lane)
      RETURNING 1),
    waited AS (
      SELECT count(*) AS groups FROM (SELECT count(*) FROM inserted) AS i, unnest($37::integer[]) AS t,
        LATERAL (SELECT pg_advisory_xact_lock_shared(${GROUP_LOCK}, t)) AS l),
    heads AS (
      INSERT INTO process_heads AS h (namespace, process, events, own, clock, lanes, writer)
      SELECT u.namespace, u.process, u.events, u.own, u.clock::json, u.lanes::json, pg_current_xact_id()
      FROM unnest($29::text[], $30::text[], $31::bigint[], $32::bigint[], $33::text[], $34::text[]) AS u (namespace, process, events, own, clock, lanes),
        waited
      ORDER BY u.namespace, u.process
      ON CONFLICT (namespace, process) DO UPDATE
      SET events = excluded.events, own = excluded.own, clock = excluded.clock, lanes = excluded.lanes, writer = excluded.writer
      WHERE (SELECT x.locked OR h.writer IS NOT DISTINCT FROM x.writer
             FROM unnest($29::text[], $30::text[], $35::xid8[], $36::boolean[]) AS x (namespace, process, writer, locked)
             WHERE x.namespace = excluded.namespace AND x.process = excluded.process)
      RETURNING h.namespace, h.process, h.xmax = 0 AS inserted),
    entries AS (
      INSERT INTO clock_entries (namespace, peer, owner, counter, own)
      SELECT e.* FROM unnest($24::text[], $25::text[], $26::text[], $27::bigint[], $28::bigint[]) AS e, waited ON CONFLICT DO NOTHING),
    settled AS (${POSITION_SQL.settle}),
    swept AS (${POSITION_SQL.sweep})
    SELECT (SELECT coalesce(json_agg(heads), '[]') FROM heads) AS heads, (SELECT groups FROM waited) AS waited, pg_notify($38, '')`,
  /** Waits until the earlier groups with these tokens have ended. */
  waitFor: `SELECT pg_advisory_xact_lock_shared(${GROUP_LOCK}, t) FROM unnest($1::integer[]) AS t`,
};

/** One group of calls, one transaction (per attempt). */
class Group {
  /** Locked by its transaction from its start: later groups wait on it before they commit. */
  readonly token = randomInt(1, 2 ** 31 - 1);
  /** Its transaction's id, `xid8` as text. */
  xid = '';
  plan: GroupPlan | null = null;
  /** Earlier groups in flight whose changes it was planned on. */
  readonly after = new Set<Group>();
  /** Its processes' rows as the plan found them. */
  readonly found = new Map<string, ProcessHead>();
  /** The processes whose rows its transaction locked when it read them. */
  readonly locked = new Set<string>();
  /** The processes and streams it claimed (see PostgresGroupCommitter.claimed). */
  readonly claims = { processes: new Set<string>(), streams: new Set<string>() };
  /** The commits counted (InFlightChanges.epoch) before it read the database; null once planned. */
  readEpoch: number | null = null;
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

/**
 * What a group read of the database: the events stored with its sources and ids (by namespace, source, id), and by
 * key its streams' versions and processes' rows — `undefined` for those it left to earlier groups in flight.
 */
interface Read {
  stored: Map<string, Map<string, Map<string, StoredEvent>>>;
  /** The fences (`fenceKeyOf`) of the group's calls that still hold. */
  fences: Set<string>;
  versions: Map<string, number | undefined>;
  processes: Map<string, ProcessHead | undefined>;
}

export class PostgresGroupCommitter {
  private queue: Pending[] = [];
  private queuedEvents = 0;
  private calls = 0;
  private scheduled = false;
  private readonly inFlight = new Set<Group>();
  private readonly changes = new InFlightChanges<Group>();
  /**
   * The processes and streams groups in flight will write, each with the last group (in the order they read) that
   * will: it locked the process's row or the stream, or waits for the group before it that did.
   */
  private readonly claimed = { processes: new Map<string, Group>(), streams: new Map<string, Group>() };
  private readonly reading = new Turns();
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
    private readonly maxGroupEvents = MAX_GROUP_EVENTS,
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

  /** Starts groups at the end of this turn (or after a pause), so that the calls made meanwhile can share them. */
  private schedule(pause = 0): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const start = () => {
      this.scheduled = false;
      this.startGroups();
    };
    if (pause > 0) setTimeout(start, pause);
    else setImmediate(start);
  }

  private startGroups(): void {
    while (this.queue.length > 0 && this.again === null && this.inFlight.size < this.maxInFlight) {
      const free = this.maxInFlight - this.inFlight.size;
      const size = Math.min(this.maxGroupEvents, Math.max(GROUP_EVENTS, Math.ceil(this.queuedEvents / free)));
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
    const turns = { read: this.reading.take(), plan: this.planning.take() };
    let outcome: { ok: true } | { ok: false; error: unknown; again: boolean };
    try {
      await this.transaction(group, turns);
      outcome = { ok: true };
    } catch (error) {
      outcome = { ok: false, error: error instanceof PlanAgain ? error : storeErrorOf(error), again: isRace(error) };
      this.again ??= []; // no group starts until the ones in flight have ended
    } finally {
      // Should it have failed before its turns were done.
      turns.read.done();
      turns.plan.done();
      group.readEpoch = null;
    }
    for (const kind of ['processes', 'streams'] as const) {
      for (const key of group.claims[kind]) if (this.claimed[kind].get(key) === group) this.claimed[kind].delete(key);
    }
    if (outcome.ok) this.changes.committed(group);
    else this.changes.failed(group);
    this.letGo();
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
    let pause = 0;
    if (this.again !== null && this.inFlight.size === 0) {
      // Every group planned on a failed one has ended too: plan the failed calls again, first, in their order.
      const again = this.again.sort((a, b) => a.order - b.order);
      this.again = null;
      this.queue = [...again, ...this.queue];
      this.queuedEvents += again.reduce((n, p) => n + p.call.events.length, 0);
      // Lost again to another process's transactions: wait a random while, longer each time, for them to finish.
      const attempts = again.reduce((n, p) => Math.max(n, p.attempts), 0);
      if (attempts > 1) pause = Math.random() * Math.min(MAX_PAUSE_MS, 2 ** attempts);
    }
    if (this.queue.length > 0) this.schedule(pause);
    else if (this.isIdle) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async transaction(group: Group, turns: Record<'read' | 'plan', { ready: Promise<void>; done: () => void }>): Promise<void> {
    const client = await this.pool.connect();
    let broken = false;
    let committed = false;
    let reserved: { low: number; count: number } | null = null;
    try {
      // Groups read in the order they plan: a process an earlier group in flight will write, the next ones leave to it.
      await turns.read.ready;
      let read: Read;
      try {
        read = await this.read(client, group);
      } finally {
        turns.read.done();
      }
      await turns.plan.ready;
      try {
        const plan = this.plan(group, read);
        if (plan.writes.length > 0) {
          // Positions are taken in the order groups are planned, before the next group is planned on this one's events.
          const low = await this.reservations.reserve(group.xid, plan.writes.length);
          reserved = { low, count: plan.writes.length };
          placeAfter(plan, low - 1);
        }
        this.changes.record(group, plan, group.xid, group.found);
      } finally {
        group.readEpoch = null;
        turns.plan.done();
        this.letGo();
      }
      const plan = group.plan!;
      const earlier = [...group.after];
      if (plan.writes.length === 0) {
        // Nothing to write: its answers (duplicates of an earlier group's events) stand once that group committed.
        if (earlier.length > 0) await client.query({ name: 'cw_wait', text: WRITE_SQL.waitFor, values: [arrayLiteral(earlier.map((g) => g.token))] });
        await this.expectCommitted(earlier);
        await client.query('ROLLBACK');
        return;
      }
      const { rows } = await client.query<{ heads: { namespace: string; process: string; inserted: boolean }[] }>({
        name: 'cw_write',
        text: WRITE_SQL.write,
        values: writeValues(plan, group, earlier.map((g) => g.token), this.channel),
      });
      await this.expectCommitted(earlier);
      const written = rows[0]!.heads;
      const asFound = written.length === plan.clocks.length && written.every((h) => h.inserted !== group.found.get(keyOf(h.namespace, h.process))!.exists);
      if (!asFound) throw new PlanAgain('another transaction wrote a process of this group since it was planned');
      // The timeline's counts per second (density.ts), now that the group holds its processes' rows; sent with the
      // commit in one round trip unless a late event's renumbering comes between.
      const density = densityCountValues(plan.writes);
      if (plan.renumber.length > 0) {
        if (density) await client.query({ name: 'cw_density', text: DENSITY_SQL.count, values: density });
        await client.query(CAUSALITY_SQL.renumber, [0, 1, 2].map((i) => plan.renumber.map((r) => [r.namespace, r.process, r.from][i])));
        await client.query('COMMIT');
      } else await client.query(density ? `${inlined(DENSITY_SQL.count, density)};\nCOMMIT` : 'COMMIT');
      committed = true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true; // the connection is gone or unusable: do not return it to the pool
      });
      throw error;
    } finally {
      client.release(broken);
      // The positions of a transaction that did not commit are let go (and given back when no one took later ones).
      // Should that fail, the reservation stays until the next append sweeps it away (POSITION_SQL.sweep). Not
      // waited for: a later group's transaction may hold the reservation (its sweep took it) while it waits for this
      // group to end, and only this group's end lets it roll back and free the row.
      if (reserved && !committed) void this.reservations.release(group.xid, reserved.low, reserved.count).catch(() => undefined);
    }
  }

  /**
   * Reads what the group's plan needs of the database, in its turn, but for keys an earlier group in flight is
   * changing or will change (the group will be planned on those, and they may be written before this read sees them).
   * The rows of the processes it reads are locked until it commits.
   */
  private async read(client: pg.PoolClient, group: Group): Promise<Read> {
    group.readEpoch = this.changes.epoch;
    const read: Read = { stored: new Map(), fences: new Set(), versions: new Map(), processes: new Map() };
    const ask = { identities: [[], [], []] as string[][], streams: [[], []] as string[][], processes: [[], []] as string[][], locks: [[], []] as string[][] };
    const fences = new Map<string, Fence>();
    for (const { fence } of group.calls) if (fence) fences.set(fenceKeyOf(fence), fence);
    const fenceColumns: string[][] = [[], [], [], []];
    for (const f of fences.values()) push(fenceColumns, f.flowId, String(f.partition), f.owner, String(f.epoch));
    const inFlight = (entry: Entry<Group, unknown> | undefined) => entry !== undefined && entry.owner !== null;
    for (const { namespace, events } of group.calls) {
      // A call's events are mostly of one stream and one process: their keys are made when they change.
      let lastStream: string | null = null;
      let lastProcess: string | null = null;
      for (const { draft } of events) {
        push(ask.identities, namespace, draft.id, draft.source);
        if (draft.stream !== lastStream) {
          lastStream = draft.stream;
          const stream = keyOf(namespace, draft.stream);
          if (!read.versions.has(stream)) {
            read.versions.set(stream, undefined);
            if (!inFlight(this.changes.version(stream))) push(ask.streams, namespace, draft.stream);
            if (!this.claimed.streams.has(stream) && ask.locks[0]!.length < MAX_STREAM_LOCKS) push(ask.locks, namespace, draft.stream);
            this.claimed.streams.set(stream, group);
            group.claims.streams.add(stream);
          }
        }
        if (draft.process !== lastProcess) {
          lastProcess = draft.process;
          const process = keyOf(namespace, draft.process);
          if (!read.processes.has(process)) {
            read.processes.set(process, undefined);
            if (!this.claimed.processes.has(process)) push(ask.processes, namespace, draft.process);
            this.claimed.processes.set(process, group);
            group.claims.processes.add(process);
          }
        }
      }
    }
    const values = [...ask.identities, ...ask.streams, ...ask.processes, ...ask.locks, ...fenceColumns].map(arrayLiteral);
    // The transaction begins with the read, in one round trip: the read is planned anew each time anyway (see `read`).
    const results = (await client.query(`${WRITE_SQL.begin(group.token)};\n${inlined(WRITE_SQL.read, values)}`)) as unknown as pg.QueryResult[];
    group.xid = (results.at(-2)!.rows[0] as { xid: string }).xid;
    const first = results.at(-1)!.rows[0] as ReadRow;
    const { heads } = first;
    // It waited for a stream, or a process's last writer committed while it waited for its row: read again, to see
    // what that transaction wrote.
    const { stored, versions } = first.streams_at_once && heads.every((h) => h.seen)
      ? first
      : (await client.query<ReadRow>(WRITE_SQL.read, [...values.slice(0, 5), ...new Array<string>(8).fill('{}')])).rows[0]!;
    // The fences hold as the first read found them: their lease rows stay held until the transaction ends.
    for (const [flowId, partition, owner, epoch] of first.fences) read.fences.add(fenceKeyOf({ flowId, partition, owner, epoch: Number(epoch) }));
    for (const row of stored) {
      let sources = read.stored.get(row.namespace);
      if (!sources) read.stored.set(row.namespace, (sources = new Map()));
      let ids = sources.get(row.source);
      if (!ids) sources.set(row.source, (ids = new Map()));
      ids.set(row.id, toEvent(row));
    }
    for (const [namespace, stream, version] of versions) read.versions.set(keyOf(namespace, stream), version);
    for (let i = 0; i < ask.processes[0]!.length; i++) {
      read.processes.set(keyOf(ask.processes[0]![i]!, ask.processes[1]![i]!), { latest: null, exists: false, writer: NO_ROW });
    }
    for (const h of heads) {
      const key = keyOf(h.namespace, h.process);
      const events = Number(h.events);
      const latest: LatestClock | null = events === 0 ? null : { own: Number(h.own), clock: h.clock, events, lanes: h.lanes };
      read.processes.set(key, { latest, exists: true, writer: h.writer });
      group.locked.add(key);
    }
    return read;
  }

  /**
   * Plans the group, in its turn: on the changes of earlier groups still in flight (it then depends on them) or
   * committed since it read the database, else on what it read.
   */
  private plan(group: Group, read: Read): GroupPlan {
    const epoch = group.readEpoch!;
    const valueOf = <V>(entry: Entry<Group, V> | undefined, fromDatabase: V | undefined): V => {
      if (entry !== undefined && entry.owner !== null) {
        if (entry.owner !== group) group.after.add(entry.owner);
        return entry.value;
      }
      if (entry !== undefined && entry.committed > epoch) return entry.value;
      // Read before it, an earlier group's change that failed since: this plan would rest on nothing.
      if (fromDatabase === undefined) throw new PlanAgain('an earlier group this one was to be planned on failed');
      return fromDatabase;
    };
    const versions = new Map<string, number>();
    for (const [key, version] of read.versions) versions.set(key, valueOf(this.changes.version(key), version));
    for (const [key, head] of read.processes) group.found.set(key, valueOf(this.changes.process(key), head));
    group.plan = planGroup(group.calls, {
      head: 0,
      stored: (namespace, source, id) => read.stored.get(namespace)?.get(source)?.get(id),
      version: (namespace, stream) => versions.get(keyOf(namespace, stream)) ?? 0,
      latestClock: (namespace, process) => group.found.get(keyOf(namespace, process))?.latest ?? null,
      fenceHolds: (fence) => read.fences.has(fenceKeyOf(fence)),
    });
    return group.plan;
  }

  /** Fails, to be planned again, should an earlier group this one was planned on have failed (it has ended). */
  private async expectCommitted(earlier: Group[]): Promise<void> {
    for (const g of earlier) if (!(await g.ended)) throw new PlanAgain('an earlier group this one was planned on failed');
  }

  /** Lets go of the committed changes every group still to be planned has read the database after. */
  private letGo(): void {
    let oldest = this.changes.epoch;
    for (const g of this.inFlight) if (g.readEpoch !== null && g.readEpoch < oldest) oldest = g.readEpoch;
    this.changes.letGo(oldest);
  }
}

interface ReadRow {
  stored: (EventRow & { namespace: string })[];
  versions: [string, string, number][];
  heads: { namespace: string; process: string; events: number; own: number; clock: VectorClock; lanes: number[]; writer: string | null; seen: boolean }[];
  streams_at_once: boolean;
  fences: [flowId: string, partition: number, owner: string, epoch: string | number][];
}

const fenceKeyOf = (f: Fence) => `${f.flowId}\u0000${f.partition}\u0000${f.owner}\u0000${f.epoch}`;

function isRace(error: unknown): boolean {
  if (error instanceof PlanAgain) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RACES.has(code);
}

type Column = (string | number | boolean | null)[];

function push<T>(columns: T[][], ...values: T[]): void {
  values.forEach((value, i) => columns[i]!.push(value));
}

/** The plan's new events as 23 parallel arrays (array literals), in the column order of `write`. */
function eventColumnsOf(plan: GroupPlan): string[] {
  const columns: Column[] = Array.from({ length: 23 }, () => []);
  for (const w of plan.writes) {
    const e = w.event;
    push(columns, e.position, w.namespace, e.id, e.type, e.source, e.time, w.timeKey, e.subject, e.datacontenttype, w.data,
      e.stream, e.version, e.process, w.own, w.vectorClock, e.correlationId, e.causationId, e.flowId, e.nodeId,
      e.revision, w.metadata, w.seq, w.lane);
  }
  return columns.map(arrayLiteral);
}

/**
 * The values of `write`: the events, the clock entries, the processes' new rows and what is expected of them, the
 * tokens of the earlier groups to wait for, the channel.
 */
export function writeValues(
  plan: GroupPlan,
  group: { found: ReadonlyMap<string, ProcessHead>; locked: ReadonlySet<string> },
  earlier: number[],
  channel: string,
): string[] {
  const entries: Column[] = [[], [], [], [], []];
  for (const w of plan.writes) for (const [peer, counter] of w.clockEntries) push(entries, w.namespace, peer, w.event.process, counter, w.own);
  const heads: Column[] = [[], [], [], [], [], [], [], []];
  for (const { namespace, process, latest } of plan.clocks) {
    const key = keyOf(namespace, process);
    const before = group.found.get(key)!;
    push(heads, namespace, process, latest.events, latest.own, JSON.stringify(latest.clock), JSON.stringify(latest.lanes),
      before.exists ? before.writer : NO_ROW, group.locked.has(key));
  }
  return [...eventColumnsOf(plan), ...entries.map(arrayLiteral), ...heads.map(arrayLiteral), arrayLiteral(earlier), channel];
}

/** A statement with its parameters written in as literals, for the simple query protocol (several statements at once). */
function inlined(sql: string, values: string[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => literalOf(values[Number(n) - 1]!));
}

/** A text as an SQL string literal (the driver's escapeLiteral goes character by character: slow on long arrays). */
function literalOf(text: string): string {
  const quoted = `'${text.replace(/'/g, "''")}'`;
  return text.includes('\\') ? `E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}
