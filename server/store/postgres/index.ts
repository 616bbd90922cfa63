/**
 * The PostgreSQL EventStore on a `pg` Pool: the store several runtime processes share. Appends are group-committed
 * by `PostgresGroupCommitter`, several transactions at once; reads of the log and subscribers read only settled
 * positions (positions.ts), so they never see position n + 1 before n; subscribers wake on LISTEN/NOTIFY (and poll,
 * should a notification be missed).
 */
import pg from 'pg';
import type { VectorClock } from '../../../shared/clock.js';
import type { EventDraft, StoredEvent } from '../../../shared/event.js';
import type { TimelineDensity } from '../../../shared/timeline-density.js';
import type { DensityQuery } from '../density.js';
import { filterKeyOf, namespaceOf } from '../filter.js';
import { CAUSALITY_LIMIT, READ_LIMIT, clampLimit } from '../limits.js';
import { SharedReads } from '../shared-reads.js';
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
import type { Fence } from '../cluster.js';
import { PostgresClusterRepository } from './cluster.js';
import { PostgresFlowRepository } from './flows.js';
import { PostgresReplayRepository } from './replays.js';
import { eventQuery } from './query.js';
import { EVENT_COLUMNS, toEvent, type EventRow } from './rows.js';
import { HORIZON_SQL, POSITION_SQL } from './positions.js';
import { migrate } from './schema.js';
import { withTransaction } from './transaction.js';
import { PostgresGroupCommitter } from './writer.js';

export interface PostgresStoreOptions {
  /** The schema that holds the tables (created if missing); default: the connection's search_path. */
  schema?: string;
  /** Connections in the pool (default 10); appends use up to two of them at once, leaving the rest to reads. */
  poolSize?: number;
  /** The most events one append transaction holds (default 5000); a single call larger than that is written whole. */
  maxGroupEvents?: number;
  /** Snapshots kept per key (snapshot-history.ts). */
  snapshotHistory?: number;
}

const SQL = {
  head: POSITION_SQL.head,
  /** Whether every event of the namespace this snapshot shows has a settled position. */
  settled: `SELECT coalesce((SELECT max(position) FROM events WHERE namespace = $1), 0) < (SELECT ${HORIZON_SQL}) AS settled`,
  // Sources may share an id: without one, the first stored.
  get: `SELECT ${EVENT_COLUMNS} FROM events WHERE namespace = $1 AND id = $2 ORDER BY position LIMIT 1`,
  getFrom: `SELECT ${EVENT_COLUMNS} FROM events WHERE namespace = $1 AND id = $2 AND source = $3`,
  readStream: `SELECT ${EVENT_COLUMNS} FROM events WHERE namespace = $1 AND stream = $2 AND version >= $3 ORDER BY version LIMIT $4`,
  latestClock: `SELECT vector_clock FROM events WHERE namespace = $1 AND process = $2 ORDER BY own DESC, seq DESC LIMIT 1`,
  saveSnapshot: `INSERT INTO snapshots (key, state, position) VALUES ($1, $2::json, $3)
    ON CONFLICT (key) DO UPDATE SET state = excluded.state, position = excluded.position`,
  loadSnapshot: `SELECT key, state, position FROM snapshots WHERE key = $1`,
  loadSnapshotAt: `SELECT key, state, position FROM snapshot_history WHERE key = $1 AND position <= $2 ORDER BY position DESC LIMIT 1`,
  getCheckpoint: `SELECT position FROM checkpoints WHERE key = $1`,
  setCheckpoints: `INSERT INTO checkpoints (key, position) SELECT * FROM unnest($1::text[], $2::bigint[])
    ON CONFLICT (key) DO UPDATE SET position = excluded.position`,
  dropEvents: `DELETE FROM events WHERE namespace = $1`,
  dropClockEntries: `DELETE FROM clock_entries WHERE namespace = $1`,
  dropProcesses: `DELETE FROM process_heads WHERE namespace = $1`,
  dropDensity: `DELETE FROM density_counts WHERE namespace = $1`,
};

/** Snapshots a causality answer lets go at most before it answers from the last (waiting 5, 10, 15 … ms between). */
const SETTLE_ATTEMPTS = 12;
const UNSETTLED = Symbol('unsettled');

/** The query for `get`: the event with this id and source, or the first stored with this id. */
const getQuery = (namespace: string, id: string, source: string | undefined): [string, string[]] =>
  source === undefined ? [SQL.get, [namespace, id]] : [SQL.getFrom, [namespace, id, source]];

/** The `options` parameter of a connection URL (server settings, `-c name=value …`), or nothing. */
function optionsOf(url: string): string {
  try {
    return new URL(url).searchParams.get('options') ?? '';
  } catch {
    return '';
  }
}

/** The NOTIFY channel of a schema's store: one per schema, so stores in other schemas do not wake each other. */
export const channelOf = (schema: string | undefined) => `causeway_events${schema ? `_${schema}` : ''}`.slice(0, 63);

export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<EventStore> {
  const { schema } = options;
  const connection: pg.ClientConfig = {
    connectionString: url,
    // Each connection starts with the schema on its search path (spaces and backslashes escaped for `options`), and
    // without JIT compilation: the store's statements read a few index entries each, and compiling one whose estimate
    // passes jit_above_cost took longer (300–500 ms) than running it.
    // Options the URL gives come first.
    options: [
      optionsOf(url),
      '-c jit=off',
      ...(schema === undefined ? [] : [`-c search_path=${pg.escapeIdentifier(schema).replace(/[\\ ]/g, '\\$&')}`]),
    ].join(' ').trim(),
  };
  const pool = new pg.Pool({ ...connection, max: options.poolSize ?? 10 });
  pool.on('error', () => undefined); // an idle connection that drops is replaced on the next checkout
  try {
    const client = await pool.connect();
    try {
      if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
      await migrate(client);
      if (options.snapshotHistory !== undefined) await client.query('UPDATE snapshot_history_keep SET keep = $1', [options.snapshotHistory]);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  const cluster = new PostgresClusterRepository(pool, () => new pg.Client(connection));
  const store = new PostgresStore(pool, cluster, channelOf(schema), Math.max(1, Math.min(2, (options.poolSize ?? 10) - 2)), options.maxGroupEvents);
  await store.listen(url);
  return store;
}

class PostgresStore implements EventStore {
  readonly kind = 'postgres' as const;
  readonly flows: PostgresFlowRepository;
  readonly replays: PostgresReplayRepository;
  private readonly writer: PostgresGroupCommitter;
  private readonly committed = new Signal();
  private readonly subscriptions = new Set<Subscription>();
  private listener: pg.Client | null = null;
  private closed = false;
  private readonly pageReads = new SharedReads<Page>();
  /** Commits heard of so far: a read is shared only by callers that heard of the same ones (see subscribe). */
  private commitsHeard = 0;

  constructor(
    private readonly pool: pg.Pool,
    readonly cluster: PostgresClusterRepository,
    private readonly channel: string,
    appendsInFlight: number,
    maxGroupEvents: number | undefined,
  ) {
    this.writer = new PostgresGroupCommitter(pool, channel, () => this.committed.emit(), appendsInFlight, maxGroupEvents);
    // Listening first, so the count has moved before any subscriber hears of a commit.
    this.committed.listen(() => this.commitsHeard++);
    this.flows = new PostgresFlowRepository(pool);
    this.replays = new PostgresReplayRepository(pool);
  }

  /** Wakes subscribers when any process commits; without it they still poll. */
  async listen(url: string): Promise<void> {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {
      this.listener = null;
    });
    try {
      await client.connect();
      client.on('notification', () => this.committed.emit());
      await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
      this.listener = client;
    } catch {
      await client.end().catch(() => undefined);
    }
  }

  async append(drafts: EventDraft[], options?: AppendOptions): Promise<AppendResult[]> {
    return this.appendCall(drafts, options);
  }

  /** An append of a partition's run: refused (`fenced`) once another replica took the partition's lease. */
  async appendFenced(fence: Fence, drafts: EventDraft[], options?: AppendOptions): Promise<AppendResult[]> {
    return this.appendCall(drafts, options, fence);
  }

  private async appendCall(drafts: EventDraft[], options: AppendOptions | undefined, fence?: Fence): Promise<AppendResult[]> {
    this.ensureOpen();
    const events = checkDrafts(drafts);
    if (events.length === 0) return [];
    return this.writer.append({ namespace: namespaceOf(options), events, ...(fence ? { fence } : {}) });
  }

  async read(options: ReadOptions = {}): Promise<StoredEvent[]> {
    this.ensureOpen();
    return this.select(options, options.after ?? 0, clampLimit(options.limit, READ_LIMIT));
  }

  async readStream(stream: string, fromVersion = 1, options: { namespace?: string; limit?: number } = {}): Promise<StoredEvent[]> {
    this.ensureOpen();
    const from = Math.max(1, Math.ceil(fromVersion));
    if (!Number.isSafeInteger(from)) return [];
    const { rows } = await this.pool.query<EventRow>(SQL.readStream, [namespaceOf(options), stream, from, clampLimit(options.limit, READ_LIMIT)]);
    return rows.map(toEvent);
  }

  async get(id: string, options: { namespace?: string; source?: string } = {}): Promise<StoredEvent | null> {
    this.ensureOpen();
    const { rows } = await this.pool.query<EventRow>(...getQuery(namespaceOf(options), id, options.source));
    return rows[0] ? toEvent(rows[0]) : null;
  }

  async head(): Promise<number> {
    this.ensureOpen();
    return this.readHead();
  }

  async latestClock(process: string, options?: { namespace?: string }): Promise<VectorClock | null> {
    this.ensureOpen();
    const { rows } = await this.pool.query<{ vector_clock: VectorClock }>(SQL.latestClock, [namespaceOf(options), process]);
    return rows[0]?.vector_clock ?? null;
  }

  /**
   * Answered from one snapshot, taken when every event of the namespace it shows is settled (positions.ts), so that
   * it never shows an event while one before it is still to come: a snapshot taken while a transaction with lower
   * positions was still open is let go, and another taken a moment later. Should appends keep one open that long,
   * the last snapshot answers.
   */
  async density(query: DensityQuery): Promise<TimelineDensity> {
    this.ensureOpen();
    return densityIn(this.pool, namespaceOf(query), query);
  }

  async causality(id: string, options: { namespace?: string; source?: string; limit?: number } = {}): Promise<CausalityResult | null> {
    this.ensureOpen();
    const namespace = namespaceOf(options);
    const limit = clampLimit(options.limit, CAUSALITY_LIMIT);
    for (let attempt = 1; ; attempt++) {
      const answer = await withTransaction(
        this.pool,
        async (client) => {
          const { settled } = (await client.query<{ settled: boolean }>(SQL.settled, [namespace])).rows[0]!;
          if (!settled && attempt < SETTLE_ATTEMPTS) return UNSETTLED;
          const { rows } = await client.query<EventRow>(...getQuery(namespace, id, options.source));
          return rows[0] ? causalityOf(client, namespace, toEvent(rows[0]), limit) : null;
        },
        'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
      );
      if (answer !== UNSETTLED) return answer;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt));
    }
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.ensureOpen();
    await this.pool.query(SQL.saveSnapshot, [snapshot.key, toJson(snapshot.state, snapshot.key, 'state'), snapshot.position]);
  }

  async loadSnapshot(key: string): Promise<Snapshot | null> {
    this.ensureOpen();
    const { rows } = await this.pool.query<{ key: string; state: unknown; position: string }>(SQL.loadSnapshot, [key]);
    const row = rows[0];
    return row ? { key: row.key, state: row.state, position: Number(row.position) } : null;
  }

  async loadSnapshotAt(key: string, position: number): Promise<Snapshot | null> {
    this.ensureOpen();
    const { rows } = await this.pool.query<{ key: string; state: unknown; position: string }>(SQL.loadSnapshotAt, [key, position]);
    const row = rows[0];
    return row ? { key: row.key, state: row.state, position: Number(row.position) } : null;
  }

  async getCheckpoint(key: string): Promise<number | null> {
    this.ensureOpen();
    const { rows } = await this.pool.query<{ position: string }>(SQL.getCheckpoint, [key]);
    return rows[0] ? Number(rows[0].position) : null;
  }

  async setCheckpoints(checkpoints: Record<string, number>): Promise<void> {
    this.ensureOpen();
    const entries = Object.entries(checkpoints);
    if (entries.length === 0) return;
    await this.pool.query(SQL.setCheckpoints, [entries.map(([key]) => key), entries.map(([, position]) => position)]);
  }

  subscribe(options: SubscribeOptions): Subscription {
    this.ensureOpen();
    // Every position up to the head is settled (positions.ts), so a page read after the head holds every matching
    // event up to it.
    // Subscribers with the same filter at the same place (a flow's partitions, after a commit) share one read — one
    // started since the last commit they heard of, so a subscriber woken by a commit never gets a page read before it.
    const filter = filterKeyOf(options);
    const readPage = async (after: number, limit: number): Promise<Page> => {
      const page = await this.pageReads.get(`${filter}\u0000${after}\u0000${limit}\u0000${this.commitsHeard}`, async () => {
        const upTo = await this.readHead();
        return pageOf(await this.select(options, after, limit, upTo), limit, upTo);
      });
      // Each subscriber gets an array of its own; the events are shared, as every adapter shares them.
      return { events: page.events.slice(), upTo: page.upTo };
    };
    return trackedSubscription(this.subscriptions, options, readPage, this.committed);
  }

  async dropNamespace(namespace: string): Promise<number> {
    this.ensureOpen();
    if (namespace === LIVE) throw new Error('the live namespace cannot be dropped');
    await this.writer.idle(); // appends called before the drop are dropped with it
    return withTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query(SQL.dropEvents, [namespace]);
      await client.query(SQL.dropClockEntries, [namespace]);
      await client.query(SQL.dropProcesses, [namespace]);
      await client.query(SQL.dropDensity, [namespace]);
      return rowCount ?? 0;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.writer.close();
    for (const subscription of [...this.subscriptions]) subscription.close();
    this.closed = true;
    await this.listener?.end().catch(() => undefined);
    await this.cluster.close();
    await this.pool.end();
  }

  private async readHead(): Promise<number> {
    const { rows } = await this.pool.query<{ head: string }>(SQL.head);
    return Number(rows[0]?.head ?? 0);
  }

  /** Matching events after `after`: up to `upTo`, or (without it) below the horizon. */
  private async select(filter: EventFilter, after: number, limit: number, upTo?: number): Promise<StoredEvent[]> {
    if (limit === 0) return [];
    const query = eventQuery(filter, upTo === undefined ? { after, limit } : { after, upTo, limit });
    const { rows } = await this.pool.query<EventRow>(query.text, query.values);
    return rows.map(toEvent);
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }
}
