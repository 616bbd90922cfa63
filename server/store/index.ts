/**
 * The store's front door: code outside `server/store/` imports the store from here and nowhere else (layers.test.ts
 * holds it to that), so what lies behind — adapters, plans, rows — can change without its callers. Exported: the
 * EventStore contract and its errors, the helpers callers share with the adapters (filters, paged reads, limits),
 * and opening a store from its URL — `sqlite:<path>` (the parent directory is created), `sqlite::memory:`,
 * `memory:`, `postgres://…` or `postgresql://…` — with the options an operator may tune (`StoreOptions`).
 *
 * The PostgreSQL adapter is loaded when a `postgres:` URL is opened, not with this module: a process on SQLite, and
 * every module that only wants the contract, never loads `pg`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openMemoryStore } from './memory.js';
import type { PostgresStoreOptions } from './postgres/index.js';
import { openSqliteStore } from './sqlite/index.js';
import type { EventStore } from './types.js';

export type StoreKind = EventStore['kind'];

export class StoreUrlError extends Error {
  readonly code = 'invalid_store_url';

  constructor(readonly url: string) {
    super(`unsupported store URL ${JSON.stringify(url)}: use sqlite:<path>, sqlite::memory:, memory: or postgres://…`);
    this.name = 'StoreUrlError';
  }
}

const SQLITE = 'sqlite:';
const MEMORY_PATH = ':memory:';

/** Which adapter a URL names; a StoreUrlError when none does. */
export function storeKind(url: string): StoreKind {
  if (url.startsWith(SQLITE) && url.length > SQLITE.length) return 'sqlite';
  if (url === 'memory:') return 'memory';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  throw new StoreUrlError(url);
}

/** The file path of a `sqlite:` URL (`sqlite:./data/causeway.db`, `sqlite:///var/lib/causeway.db`, `sqlite::memory:`). */
export function sqlitePath(url: string): string {
  const rest = url.slice(SQLITE.length);
  return rest.startsWith('//') ? rest.slice(2) : rest;
}

/** A PostgreSQL store with options of its own (pool size, schema); the adapter is loaded on the first call. */
export async function openPostgresStore(url: string, options?: PostgresStoreOptions): Promise<EventStore> {
  return (await import('./postgres/index.js')).openPostgresStore(url, options);
}

/** What an operator may tune of any store; each adapter takes what applies to it. */
export interface StoreOptions {
  /** PostgreSQL: connections in the pool (default 10). */
  poolSize?: number;
  /**
   * SQLite and PostgreSQL: the most events one append transaction (group commit) holds; a single call larger than
   * that is written whole. Default: PostgreSQL 5000, SQLite every call waiting. The memory store applies each call
   * alone.
   */
  maxGroupEvents?: number;
  /** Snapshots kept per key for replays to start actors from (snapshot-history.ts; default 100). */
  snapshotHistory?: number;
}

export async function openStore(url: string, options: StoreOptions = {}): Promise<EventStore> {
  const { poolSize, maxGroupEvents, snapshotHistory } = options;
  const history = snapshotHistory ? { snapshotHistory } : {};
  switch (storeKind(url)) {
    case 'memory':
      return openMemoryStore(history);
    case 'postgres':
      return openPostgresStore(url, { ...(poolSize ? { poolSize } : {}), ...(maxGroupEvents ? { maxGroupEvents } : {}), ...history });
    case 'sqlite': {
      const path = sqlitePath(url);
      if (path !== MEMORY_PATH) mkdirSync(dirname(path), { recursive: true });
      return openSqliteStore(path, { ...(maxGroupEvents ? { maxGroupEvents } : {}), ...history });
    }
  }
}

export * from './types.js';
export type { Claim, ClusterRepository, Fence, Lease, Member } from './cluster.js';
export { fencedStore, isClusterStore, type ClusterStore } from './fenced-store.js';
export { compileFilter } from './filter.js';
export { READ_LIMIT } from './limits.js';
export { readPages } from './read-pages.js';
export { MAX_REPLAY_LIST_LIMIT, type ReplayRecord, type ReplayRecordState, type ReplayRepository } from './replays.js';
export { openMemoryStore } from './memory.js';
export type { PostgresStoreOptions } from './postgres/index.js';
export { openSqliteStore, type SqliteEventStore, type SqliteStoreOptions } from './sqlite/index.js';
export { StoreOpenError, type StoreOpenErrorCode } from './sqlite/preflight.js';
