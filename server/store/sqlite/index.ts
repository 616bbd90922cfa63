/**
 * The SQLite EventStore on better-sqlite3, WAL: reads on this connection by the indexes `query.ts` picks, causality
 * by index (`causality.ts`), flows in the same database; appends group-committed by `GroupCommitter` and written,
 * with checkpoints, snapshots and replay records, by the writing connection (write-connection.ts: a worker thread's
 * for a file). Other processes may read the file at any time; should one also append, this one notices the head it
 * did not move and reloads what it caches, but live subscribers here only see such events on their next poll.
 */
import type Database from 'better-sqlite3';
import type { VectorClock } from '../../../shared/clock.js';
import type { EventDraft, StoredEvent } from '../../../shared/event.js';
import type { TimelineDensity } from '../../../shared/timeline-density.js';
import type { DensityQuery } from '../density.js';
import { compileFilter, namespaceOf } from '../filter.js';
import { RecentEvents } from '../recent.js';
import { CAUSALITY_LIMIT, READ_LIMIT, clampLimit } from '../limits.js';
import { Signal, pageOf, trackedSubscription, type Page } from '../subscription.js';
import {
  LIVE,
  type AppendOptions,
  type AppendResult,
  type CausalityResult,
  type EventFilter,
  type EventStore,
  type ReadOptions,
  type Snapshot,
  type SubscribeOptions,
  type Subscription,
} from '../types.js';
import { checkDrafts, toJson } from '../validate.js';
import { causalityOf } from './causality.js';
import { densityIn } from './density.js';
import { Checkpointer } from './checkpointer.js';
import { SqliteFlowRepository } from './flows.js';
import { SqliteReplayRepository } from './replays.js';
import { eventQuery } from './query.js';
import { EVENT_COLUMNS, Statements, toEvent, type EventRow } from './rows.js';
import { preflight } from './preflight.js';
import { CONNECTION_PRAGMAS, openDatabase } from './schema.js';
import { openWriteConnection, type WriteConnection } from './write-connection.js';
import { STATE_SQL, WriteState } from './write-state.js';
import { GroupCommitter, WRITE_SQL } from './writer.js';

const SQL = {
  // Sources may share an id: without one, the first stored.
  get: `SELECT ${EVENT_COLUMNS} FROM events INDEXED BY events_by_id WHERE namespace = ? AND id = ? ORDER BY position LIMIT 1`,
  getFrom: `SELECT ${EVENT_COLUMNS} FROM events INDEXED BY events_by_id WHERE namespace = ? AND id = ? AND source = ?`,
  readStream: `SELECT ${EVENT_COLUMNS} FROM events INDEXED BY events_by_stream
    WHERE namespace = ? AND stream = ? AND version >= ? ORDER BY version LIMIT ?`,
  saveSnapshot: `INSERT INTO snapshots (key, state, position) VALUES (?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET state = excluded.state, position = excluded.position`,
  loadSnapshot: `SELECT key, state, position FROM snapshots WHERE key = ?`,
  loadSnapshotAt: `SELECT key, state, position FROM snapshot_history WHERE key = ? AND position <= ? ORDER BY position DESC LIMIT 1`,
  getCheckpoint: `SELECT position FROM checkpoints WHERE key = ?`,
  setCheckpoint: `INSERT INTO checkpoints (key, position) VALUES (?, ?)
    ON CONFLICT (key) DO UPDATE SET position = excluded.position`,
  keepHead: `INSERT INTO store_meta (key, value) VALUES ('head', (${STATE_SQL.head}))
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  dropEvents: `DELETE FROM events INDEXED BY events_by_namespace WHERE namespace = ? AND namespace <> '${LIVE}'`,
  dropClockEntries: `DELETE FROM clock_entries WHERE namespace = ?`,
  dropCount: `DELETE FROM namespaces WHERE namespace = ?`,
  dropDensity: `DELETE FROM density_counts WHERE namespace = ?`,
};

/** How often, at most, subscribers' reads look for another process's appends (ms). */
const FOREIGN_CHECK_MS = 100;

/** The SQLite store, with what only it offers: the number of append transactions committed. */
export interface SqliteEventStore extends EventStore {
  readonly kind: 'sqlite';
  /** Append transactions committed since the store was opened that wrote events. */
  readonly commits: number;
}

export interface SqliteStoreOptions {
  /** More pragmas for every connection, after the store's own (a test caps the file with `max_page_count`). */
  pragmas?: string[];
  /**
   * The most events one append transaction holds (default: no bound, every call waiting goes in one group); a single
   * call larger than that is written whole.
   */
  maxGroupEvents?: number;
  /** Snapshots kept per key (snapshot-history.ts). */
  snapshotHistory?: number;
}

/**
 * Opens (creating if needed) the database at `path`; `:memory:` gives a private in-memory one. A file that cannot be
 * written or is damaged is refused with a StoreOpenError saying what to do (preflight.ts).
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteEventStore {
  if (path !== ':memory:' && path !== '') preflight(path);
  const db = openDatabase(path);
  const pragmas = options.pragmas ?? [];
  for (const pragma of pragmas) db.pragma(pragma);
  if (options.snapshotHistory !== undefined) db.prepare('UPDATE snapshot_history_keep SET keep = ?').run(options.snapshotHistory);
  return new SqliteStore(db, db.memory ? null : new Checkpointer(path), [...CONNECTION_PRAGMAS, ...pragmas], options.maxGroupEvents);
}

class SqliteStore implements SqliteEventStore {
  readonly kind = 'sqlite' as const;
  readonly flows: SqliteFlowRepository;
  readonly replays: SqliteReplayRepository;
  private readonly statements: Statements;
  private readonly state: WriteState;
  private readonly connection: WriteConnection;
  private readonly writer: GroupCommitter;
  private readonly committed = new Signal();
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;
  /** What this process committed lately, for subscribers. */
  private readonly recent: RecentEvents;
  private foreignCheckedAt = -Infinity;

  constructor(
    private readonly db: Database.Database,
    private readonly checkpointer: Checkpointer | null,
    pragmas: string[],
    maxGroupEvents: number | undefined,
  ) {
    this.statements = new Statements(db);
    this.state = new WriteState(db, this.statements);
    this.recent = new RecentEvents(this.state.head);
    this.connection = openWriteConnection(db, WRITE_SQL, pragmas);
    this.writer = new GroupCommitter(
      this.connection,
      this.statements,
      this.state,
      (plan) => {
        this.recent.add(plan.writes.map((w) => ({ namespace: w.namespace, timeKey: w.timeKey, event: w.event })), plan.head);
        this.committed.emit();
      },
      () => this.recent.reset(this.state.head),
      undefined,
      maxGroupEvents,
    );
    this.flows = new SqliteFlowRepository(this.statements, this.connection);
    this.replays = new SqliteReplayRepository(this.statements, this.connection);
  }

  get commits(): number {
    return this.writer.commits;
  }

  async append(drafts: EventDraft[], options?: AppendOptions): Promise<AppendResult[]> {
    this.ensureOpen();
    const events = checkDrafts(drafts);
    if (events.length === 0) return [];
    return this.writer.append({ namespace: namespaceOf(options), events });
  }

  async read(options: ReadOptions = {}): Promise<StoredEvent[]> {
    this.ensureOpen();
    return this.select(options, options.after ?? 0, clampLimit(options.limit, READ_LIMIT));
  }

  async readStream(stream: string, fromVersion = 1, options: { namespace?: string; limit?: number } = {}): Promise<StoredEvent[]> {
    this.ensureOpen();
    const from = Math.max(1, Math.ceil(fromVersion));
    const rows = this.statements.get(SQL.readStream).all(namespaceOf(options), stream, from, clampLimit(options.limit, READ_LIMIT));
    return (rows as EventRow[]).map(toEvent);
  }

  async get(id: string, options: { namespace?: string; source?: string } = {}): Promise<StoredEvent | null> {
    this.ensureOpen();
    return this.getIn(namespaceOf(options), id, options.source);
  }

  async head(): Promise<number> {
    this.ensureOpen();
    return this.headNow();
  }

  async latestClock(process: string, options?: { namespace?: string }): Promise<VectorClock | null> {
    this.ensureOpen();
    const row = this.statements.get(STATE_SQL.latestClock).get(namespaceOf(options), process) as { vector_clock: string } | undefined;
    return row ? (JSON.parse(row.vector_clock) as VectorClock) : null;
  }

  async density(query: DensityQuery): Promise<TimelineDensity> {
    this.ensureOpen();
    return densityIn(this.statements, namespaceOf(query), query);
  }

  async causality(id: string, options: { namespace?: string; source?: string; limit?: number } = {}): Promise<CausalityResult | null> {
    this.ensureOpen();
    const namespace = namespaceOf(options);
    const target = this.getIn(namespace, id, options.source);
    if (!target) return null;
    return causalityOf(this.statements, namespace, target, clampLimit(options.limit, CAUSALITY_LIMIT));
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.ensureOpen();
    await this.connection.run([[SQL.saveSnapshot, [snapshot.key, toJson(snapshot.state, snapshot.key, 'state'), snapshot.position]]]);
  }

  async loadSnapshot(key: string): Promise<Snapshot | null> {
    this.ensureOpen();
    const row = this.statements.get(SQL.loadSnapshot).get(key) as { key: string; state: string; position: number } | undefined;
    return row ? { key: row.key, state: JSON.parse(row.state) as unknown, position: row.position } : null;
  }

  async loadSnapshotAt(key: string, position: number): Promise<Snapshot | null> {
    this.ensureOpen();
    const row = this.statements.get(SQL.loadSnapshotAt).get(key, position) as { key: string; state: string; position: number } | undefined;
    return row ? { key: row.key, state: JSON.parse(row.state) as unknown, position: row.position } : null;
  }

  async getCheckpoint(key: string): Promise<number | null> {
    this.ensureOpen();
    return (this.statements.get(SQL.getCheckpoint).pluck().get(key) as number | undefined) ?? null;
  }

  async setCheckpoints(checkpoints: Record<string, number>): Promise<void> {
    this.ensureOpen();
    const entries = Object.entries(checkpoints);
    if (entries.length === 0) return;
    await this.connection.run(entries.map(([key, position]) => [SQL.setCheckpoint, [key, position]]));
  }

  subscribe(options: SubscribeOptions): Subscription {
    this.ensureOpen();
    const namespace = namespaceOf(options);
    const matches = compileFilter(options);
    const reader = this.recent.follow(options.after);
    const readPage = (after: number, limit: number): Page => {
      this.noticeForeignAppends();
      const recent = reader.page(namespace, options, after, limit, matches);
      if (recent) return recent;
      const upTo = this.headNow();
      const events = this.select(options, after, limit, upTo);
      return pageOf(events, limit, upTo);
    };
    return trackedSubscription(this.subscriptions, options, readPage, this.committed, () => reader.stop());
  }

  async dropNamespace(namespace: string): Promise<number> {
    this.ensureOpen();
    if (namespace === LIVE) throw new Error('the live namespace cannot be dropped');
    await this.writer.drain(); // appends called before the drop are dropped with it
    const [, dropped] = await this.connection.run([
      [SQL.keepHead, []],
      [SQL.dropEvents, [namespace]],
      [SQL.dropClockEntries, [namespace]],
      [SQL.dropCount, [namespace]],
      [SQL.dropDensity, [namespace]],
    ]);
    this.state.forget(namespace);
    this.recent.reset(this.state.head);
    return dropped!;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.drain();
    for (const subscription of [...this.subscriptions]) subscription.close();
    await this.connection.close();
    await this.checkpointer?.stop();
    this.db.close();
  }

  /**
   * A head beyond what this process committed, with nothing of its own under way, is another process's append: what
   * `recent` holds no longer covers the log. Looked at now and then, not per page: subscribers poll every second.
   */
  private noticeForeignAppends(): void {
    const now = performance.now();
    if (now - this.foreignCheckedAt < FOREIGN_CHECK_MS || !this.writer.idle) return;
    this.foreignCheckedAt = now;
    const head = this.headNow();
    if (head !== this.recent.head) this.recent.reset(head);
  }

  private headNow(): number {
    return this.statements.get(STATE_SQL.head).pluck().get() as number;
  }

  private getIn(namespace: string, id: string, source: string | undefined): StoredEvent | null {
    const row = source === undefined ? this.statements.get(SQL.get).get(namespace, id) : this.statements.get(SQL.getFrom).get(namespace, id, source);
    return row ? toEvent(row as EventRow) : null;
  }

  private select(filter: EventFilter, after: number, limit: number, upTo?: number): StoredEvent[] {
    if (limit === 0) return [];
    const query = eventQuery(filter, upTo === undefined ? { after, limit } : { after, upTo, limit });
    return (this.statements.get(query.sql).all(...query.params) as EventRow[]).map(toEvent);
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }
}
