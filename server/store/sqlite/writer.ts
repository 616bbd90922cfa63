/**
 * Group commit on SQLite: append calls made while the event loop is busy queue up, and the next turn plans them
 * all as one group (`planGroup`) and hands its rows to the writing connection (write-connection.ts) as one
 * transaction. Each call's promise settles only after that transaction committed (or failed). While one group is
 * written, the next ones are planned as if it commits and sent behind it (up to MAX_IN_FLIGHT in all); the calls that
 * arrive after that queue up.
 *
 * Events are rarely stored already (a retry, a re-processing after a crash), so a group is first planned as if none
 * were and inserted with ON CONFLICT DO NOTHING; should an insert find its source and id taken after all, the
 * transaction is rolled back and the group planned again, this time with the stored events looked up (a call whose
 * event conflicts with a stored one then fails alone). A group planned on a head another connection has since moved
 * is planned again on what that connection wrote.
 */
import type { StoredEvent } from '../../../shared/event.js';
import { bucketCountsOf } from '../density.js';
import { planGroup, type AppendCall, type GroupPlan } from '../plan.js';
import type { AppendResult } from '../types.js';
import { CAUSALITY_SQL } from './causality.js';
import { EVENT_COLUMNS, toEvent, type EventRow, type Statements } from './rows.js';
import type { GroupOutcome, GroupWrite, WriteConnection, WriteSql } from './write-connection.js';
import { CACHE_CAPACITY, STATE_SQL, type WriteState } from './write-state.js';

interface Pending {
  call: AppendCall;
  resolve: (results: AppendResult[]) => void;
  reject: (error: unknown) => void;
}

/** What the writing connection prepares. */
export const WRITE_SQL: WriteSql = {
  head: STATE_SQL.head,
  insertEvent: `INSERT INTO events (position, namespace, id, type, source, time, time_key, subject, datacontenttype, data,
      stream, version, process, own, vector_clock, correlation_id, causation_id, flow_id, node_id, revision, metadata,
      seq, lane)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (namespace, id, source) DO NOTHING`,
  insertClockEntry: `INSERT OR IGNORE INTO clock_entries (namespace, peer, owner, counter, own) VALUES (?, ?, ?, ?, ?)`,
  countEvents: `INSERT INTO namespaces (namespace, events) VALUES (?, ?)
    ON CONFLICT (namespace) DO UPDATE SET events = events + excluded.events`,
  countDensity: `INSERT INTO density_counts (namespace, start, process, events) VALUES (?, ?, ?, ?)
    ON CONFLICT (namespace, start, process) DO UPDATE SET events = events + excluded.events`,
  renumber: CAUSALITY_SQL.renumber,
};

const STORED_BY_IDS = `SELECT ${EVENT_COLUMNS} FROM events INDEXED BY events_by_id
  WHERE namespace = ? AND id IN (SELECT value FROM json_each(?))`;

/** A group that keeps finding its head moved gives up after this many plans (another writer never pauses). */
const MAX_PLANS = 20;

/**
 * Groups sent to the writing connection and not yet answered, at most: one being written and the next ones, planned
 * meanwhile on the assumption that those before them commit, waiting behind it — so the writer need not wait for
 * the event loop between two groups (batch ingest: +7 % over two).
 */
const MAX_IN_FLIGHT = 3;

/**
 * Events the groups under way may hold, with the calls waiting, for those calls to be planned ahead of their answers.
 * What the groups under way change (a stream's version, a process's clock per event) must still be in WriteState's
 * caches when the next group is planned: the database does not hold it yet. Past this, the calls wait for the answers.
 */
export const AHEAD_EVENTS = CACHE_CAPACITY / 4;

/** Stored events by namespace, then source, then id. */
type StoredEvents = Map<string, Map<string, Map<string, StoredEvent>>>;

const NOTHING_STORED: StoredEvents = new Map();

interface Group {
  pending: Pending[];
  /** Plan it with the stored events under its ids looked up. */
  lookUp: boolean;
  /** How often it has been planned. */
  plans: number;
  plan: GroupPlan | null;
}

type Reply = GroupOutcome | { error: unknown };

export class GroupCommitter {
  /** Transactions committed so far that wrote events (a group of duplicates and conflicts writes none). */
  commits = 0;
  private queue: Pending[] = [];
  /** Events in the queued calls. */
  private queuedEvents = 0;
  /** Events the groups in flight write. */
  private eventsInFlight = 0;
  private scheduled = false;
  /** Sent to the writing connection, oldest first: their answers come in this order. */
  private inFlight: Group[] = [];
  /**
   * Once a group is refused: it and the groups sent after it that were refused too (they were planned on its
   * writes), gathered until every group sent has answered; then they are planned again.
   */
  private refused: { group: Group; reply: Reply }[] | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly connection: WriteConnection,
    private readonly statements: Statements,
    private readonly state: WriteState,
    private readonly onCommit: (plan: GroupPlan) => void,
    /** Another connection appended: what this process caches of the log is stale. */
    private readonly onForeignAppend: () => void,
    private readonly aheadEvents = AHEAD_EVENTS,
    /** The most events one transaction holds; a call is never split, so one larger than this is a group of its own. */
    private readonly maxGroupEvents = Infinity,
  ) {}

  /** True while no call is queued or being written. */
  get idle(): boolean {
    return this.inFlight.length === 0 && this.queue.length === 0 && this.refused === null;
  }

  append(call: AppendCall): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ call, resolve, reject });
      this.queuedEvents += call.events.length;
      this.schedule();
    });
  }

  /** Resolves once every call made so far has settled. */
  drain(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Sends the queued calls at the end of this turn, when there is room (else an answer will): as one group, or as
   * several of at most `maxGroupEvents` events, as many as may be planned ahead.
   */
  private schedule(): void {
    if (this.scheduled || !this.mayPlanAhead()) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.mayPlanAhead()) this.send({ pending: this.nextGroup(), lookUp: false, plans: 0, plan: null });
    });
  }

  /** The queued calls the next group takes, in order: all of them, or as many as `maxGroupEvents` allows (one at least). */
  private nextGroup(): Pending[] {
    if (this.queuedEvents <= this.maxGroupEvents) {
      const pending = this.queue;
      this.queue = [];
      this.queuedEvents = 0;
      return pending;
    }
    let events = 0;
    let taken = 0;
    while (taken < this.queue.length && (taken === 0 || events + this.queue[taken]!.call.events.length <= this.maxGroupEvents)) {
      events += this.queue[taken]!.call.events.length;
      taken += 1;
    }
    this.queuedEvents -= events;
    return this.queue.splice(0, taken);
  }

  private mayPlanAhead(): boolean {
    if (this.queue.length === 0 || this.refused) return false;
    if (this.inFlight.length === 0) return true;
    return this.inFlight.length < MAX_IN_FLIGHT && this.eventsInFlight + this.queuedEvents <= this.aheadEvents;
  }

  /** Plans the group on what this process knows — the groups in flight included, as if committed — and sends it. */
  private send(group: Group): void {
    let plan: GroupPlan;
    try {
      // Should another connection have appended meanwhile, the writing connection finds the head moved and refuses
      // the group, which is then planned again on what is stored (a group with nothing to write is checked too).
      plan = this.plan(group.pending.map((p) => p.call), group.lookUp);
    } catch (error) {
      this.rejectAll(group.pending, error);
      return;
    }
    group.plans += 1;
    group.plan = plan;
    const head = this.state.head;
    this.state.apply(plan);
    this.inFlight.push(group);
    this.eventsInFlight += plan.writes.length;
    this.connection.appendGroup(groupWrite(plan, head)).then(
      (outcome) => this.answered(group, outcome),
      (error: unknown) => this.answered(group, { error }),
    );
  }

  private answered(group: Group, reply: Reply): void {
    this.inFlight.shift();
    this.eventsInFlight -= group.plan!.writes.length;
    if (reply === 'ok') this.committed(group);
    else (this.refused ??= []).push({ group, reply });
    if (this.refused && this.inFlight.length === 0) this.planAgain();
    this.schedule();
    if (this.idle) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private committed(group: Group): void {
    const plan = group.plan!;
    plan.outcomes.forEach((outcome, i) => {
      const p = group.pending[i]!;
      if (outcome.ok) p.resolve(outcome.results);
      else p.reject(outcome.error);
    });
    if (plan.writes.length === 0) return;
    this.commits += 1;
    this.onCommit(plan);
  }

  /**
   * Every group sent has answered, some refused: the first refusal says why (its id stored, another connection's
   * append, an error); the later ones were planned on its writes. Plans them again, in order, on the store as it is.
   */
  private planAgain(): void {
    const [first, ...later] = this.refused!;
    this.refused = null;
    this.state.reset();
    const again = later.map(({ group }) => ({ ...group, lookUp: false, plans: group.plans - 1 }));
    const { group, reply } = first!;
    if (typeof reply === 'object') this.rejectAll(group.pending, reply.error);
    else if (group.plans >= MAX_PLANS) this.rejectAll(group.pending, new Error(`another connection kept appending: gave up after ${group.plans} attempts`));
    else {
      if (reply === 'stale') this.onForeignAppend();
      again.unshift({ ...group, lookUp: group.lookUp || reply === 'stored-id' });
    }
    for (const g of again) this.send(g);
  }

  private rejectAll(pending: Pending[], error: unknown): void {
    for (const p of pending) p.reject(error);
  }


  /**
   * The group planned on what this process knows of the store, or — with `lookUp`, or when a call conflicts, which
   * may only be a retry of a stored event — on the stored events under its ids, read first.
   */
  private plan(calls: AppendCall[], lookUp: boolean): GroupPlan {
    const state = this.state;
    const planWith = (stored: StoredEvents) =>
      planGroup(calls, {
        head: state.head,
        stored: (namespace, source, id) => stored.get(namespace)?.get(source)?.get(id),
        version: (namespace, stream) => state.version(namespace, stream),
        latestClock: (namespace, process) => state.latestClock(namespace, process),
      });
    const plan = planWith(lookUp ? this.storedEvents(calls) : NOTHING_STORED);
    if (!lookUp && plan.outcomes.some((outcome) => !outcome.ok)) return planWith(this.storedEvents(calls));
    return plan;
  }

  /** The events already stored under the ids of these calls (whatever their source): one query per namespace. */
  private storedEvents(calls: AppendCall[]): StoredEvents {
    const idsByNamespace = new Map<string, string[]>();
    for (const { namespace, events } of calls) {
      const ids = idsByNamespace.get(namespace) ?? [];
      for (const { draft } of events) ids.push(draft.id);
      idsByNamespace.set(namespace, ids);
    }
    const found: StoredEvents = new Map();
    const select = this.statements.get(STORED_BY_IDS);
    for (const [namespace, ids] of idsByNamespace) {
      if (ids.length === 0) continue;
      const bySource = new Map<string, Map<string, StoredEvent>>();
      for (const row of select.all(namespace, JSON.stringify(ids)) as EventRow[]) {
        let byId = bySource.get(row.source);
        if (!byId) bySource.set(row.source, (byId = new Map()));
        byId.set(row.id, toEvent(row));
      }
      if (bySource.size > 0) found.set(namespace, bySource);
    }
    return found;
  }
}

/** A plan's rows for the writing connection; `head` is the head it was planned on. */
function groupWrite(plan: GroupPlan, head: number): GroupWrite {
  const rows: unknown[][] = [];
  const clockEntries: unknown[][] = [];
  for (const w of plan.writes) {
    const e = w.event;
    rows.push([
      e.position, w.namespace, e.id, e.type, e.source, e.time, w.timeKey, e.subject, e.datacontenttype, w.data,
      e.stream, e.version, e.process, w.own, w.vectorClock, e.correlationId, e.causationId, e.flowId, e.nodeId,
      e.revision, w.metadata, w.seq, w.lane,
    ]);
    for (const [peer, counter] of w.clockEntries) clockEntries.push([w.namespace, peer, e.process, counter, w.own]);
  }
  const density = bucketCountsOf(plan.writes).map(
    (c): [string, number, string, number] => [c.namespace, c.start, c.process, c.events],
  );
  return { head, rows, clockEntries, counts: [...plan.added], density, renumber: plan.renumber };
}
