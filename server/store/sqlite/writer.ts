/**
 * Group commit on SQLite: append calls made while the event loop is busy (a commit included) queue up, and the
 * next turn writes them all in one transaction. Each call's promise settles only after that transaction
 * committed (or failed). The plan is made by `planGroup`; this module looks up what it needs and writes it.
 *
 * Ids are rarely stored already (a retry, a re-processing after a crash), so a group is first planned as if none
 * were and inserted with ON CONFLICT DO NOTHING; should an insert find its id taken after all, the transaction
 * is rolled back and planned again, this time with the stored events looked up.
 */
import type Database from 'better-sqlite3';
import type { StoredEvent } from '../../../shared/event.js';
import { planGroup, type AppendCall, type GroupPlan } from '../plan.js';
import type { AppendResult } from '../types.js';
import { CAUSALITY_SQL } from './causality.js';
import { EVENT_COLUMNS, toEvent, type EventRow, type Statements } from './rows.js';
import type { WriteState } from './write-state.js';

interface Pending {
  call: AppendCall;
  resolve: (results: AppendResult[]) => void;
  reject: (error: unknown) => void;
}

const SQL = {
  insertEvent: `INSERT INTO events (position, namespace, id, type, source, time, time_key, subject, datacontenttype, data,
      stream, version, process, own, vector_clock, correlation_id, causation_id, flow_id, node_id, revision, metadata,
      seq, lane)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (namespace, id) DO NOTHING`,
  insertClockEntry: `INSERT OR IGNORE INTO clock_entries (namespace, peer, owner, counter, own) VALUES (?, ?, ?, ?, ?)`,
  countEvents: `INSERT INTO namespaces (namespace, events) VALUES (?, ?)
    ON CONFLICT (namespace) DO UPDATE SET events = events + excluded.events`,
  storedByIds: `SELECT ${EVENT_COLUMNS} FROM events INDEXED BY events_by_id
    WHERE namespace = ? AND id IN (SELECT value FROM json_each(?))`,
  dataVersion: `PRAGMA data_version`,
};

/** Thrown inside a transaction planned without looking ids up, when one was stored after all. */
class StoredIdFound extends Error {}

const NOTHING_STORED = new Map<string, Map<string, StoredEvent>>();

export class GroupCommitter {
  /** Transactions committed so far. */
  commits = 0;
  private queue: Pending[] = [];
  private scheduled = false;
  private dataVersion: number;
  private readonly transaction: (calls: AppendCall[], lookUp: boolean) => GroupPlan;

  constructor(
    private readonly db: Database.Database,
    private readonly statements: Statements,
    private readonly state: WriteState,
    private readonly onCommit: (plan: GroupPlan) => void,
  ) {
    this.dataVersion = this.readDataVersion();
    const write = db.transaction((calls: AppendCall[], lookUp: boolean) => this.write(calls, lookUp));
    this.transaction = (calls, lookUp) => write.immediate(calls, lookUp);
  }

  append(call: AppendCall): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ call, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes every queued call now, in one transaction. */
  flush(): void {
    this.scheduled = false;
    const pending = this.queue;
    if (pending.length === 0) return;
    this.queue = [];
    let plan: GroupPlan;
    try {
      const calls = pending.map((p) => p.call);
      try {
        plan = this.transaction(calls, false);
      } catch (error) {
        if (!(error instanceof StoredIdFound)) throw error;
        plan = this.transaction(calls, true);
      }
    } catch (error) {
      this.state.reset();
      for (const p of pending) p.reject(error);
      return;
    }
    this.commits += 1;
    this.state.apply(plan);
    plan.outcomes.forEach((outcome, i) => {
      const p = pending[i]!;
      if (outcome.ok) p.resolve(outcome.results);
      else p.reject(outcome.error);
    });
    if (plan.writes.length > 0) this.onCommit(plan);
  }

  /** Runs inside the transaction. */
  private write(calls: AppendCall[], lookUp: boolean): GroupPlan {
    const dataVersion = this.readDataVersion();
    if (dataVersion !== this.dataVersion) {
      // Another connection wrote since our last commit: what the caches hold may be stale.
      this.state.reset();
      this.dataVersion = dataVersion;
    }
    const state = this.state;
    const planWith = (stored: Map<string, Map<string, StoredEvent>>) =>
      planGroup(calls, {
        head: state.head,
        stored: (namespace, id) => stored.get(namespace)?.get(id),
        version: (namespace, stream) => state.version(namespace, stream),
        latestClock: (namespace, process) => state.latestClock(namespace, process),
      });
    let plan = planWith(lookUp ? this.storedEvents(calls) : NOTHING_STORED);
    // A call that conflicts may only be a retry of a stored event: nothing is written yet, so plan again knowing.
    if (!lookUp && plan.outcomes.some((outcome) => !outcome.ok)) plan = planWith(this.storedEvents(calls));
    const insertEvent = this.statements.get(SQL.insertEvent);
    const insertClockEntry = this.statements.get(SQL.insertClockEntry);
    for (const w of plan.writes) {
      const e = w.event;
      const { changes } = insertEvent.run(
        e.position, w.namespace, e.id, e.type, e.source, e.time, w.timeKey, e.subject, e.datacontenttype, w.data,
        e.stream, e.version, e.process, w.own, w.vectorClock, e.correlationId, e.causationId, e.flowId, e.nodeId,
        e.revision, w.metadata, w.seq, w.lane,
      );
      if (changes === 0) throw new StoredIdFound(e.id);
      for (const [peer, counter] of w.clockEntries) insertClockEntry.run(w.namespace, peer, e.process, counter, w.own);
    }
    const countEvents = this.statements.get(SQL.countEvents);
    for (const [namespace, count] of plan.added) countEvents.run(namespace, count);
    const renumber = this.statements.get(CAUSALITY_SQL.renumber);
    for (const r of plan.renumber) renumber.run(r);
    return plan;
  }

  /** The events already stored under the ids of these calls, by namespace and id: one query per namespace. */
  private storedEvents(calls: AppendCall[]): Map<string, Map<string, StoredEvent>> {
    const idsByNamespace = new Map<string, string[]>();
    for (const { namespace, events } of calls) {
      const ids = idsByNamespace.get(namespace) ?? [];
      for (const { draft } of events) ids.push(draft.id);
      idsByNamespace.set(namespace, ids);
    }
    const found = new Map<string, Map<string, StoredEvent>>();
    const select = this.statements.get(SQL.storedByIds);
    for (const [namespace, ids] of idsByNamespace) {
      if (ids.length === 0) continue;
      const rows = select.all(namespace, JSON.stringify(ids)) as EventRow[];
      if (rows.length > 0) found.set(namespace, new Map(rows.map((row) => [row.id, toEvent(row)])));
    }
    return found;
  }

  private readDataVersion(): number {
    return this.statements.get(SQL.dataVersion).pluck().get() as number;
  }
}
