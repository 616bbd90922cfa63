/**
 * Opening a store from its URL: `sqlite:<path>` (the parent directory is created), `sqlite::memory:`, `memory:`,
 * `postgres://…` or `postgresql://…`. Everything a caller of the store needs is exported from here.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openMemoryStore } from './memory.js';
import { openPostgresStore } from './postgres/index.js';
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

export async function openStore(url: string): Promise<EventStore> {
  switch (storeKind(url)) {
    case 'memory':
      return openMemoryStore();
    case 'postgres':
      return openPostgresStore(url);
    case 'sqlite': {
      const path = sqlitePath(url);
      if (path !== MEMORY_PATH) mkdirSync(dirname(path), { recursive: true });
      return openSqliteStore(path);
    }
  }
}

export { openMemoryStore } from './memory.js';
export { openPostgresStore, type PostgresStoreOptions } from './postgres/index.js';
export { openSqliteStore, type SqliteEventStore } from './sqlite/index.js';
export { StoreOpenError } from './sqlite/preflight.js';
export * from './types.js';
