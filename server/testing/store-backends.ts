/**
 * The stores a whole-server test runs on, for `describe.each`: SQLite in memory, and PostgreSQL in a schema of its
 * own (made when asked for, dropped after) — skipped with a warning when PostgreSQL does not answer, except under
 * CI=true, where that is a failure.
 */
import { databaseAvailable } from '../store/postgres/testing/database.js';
import { freshDatabase } from './replicas.js';

export interface StoreBackend {
  name: string;
  url(): Promise<string>;
  drop(): Promise<void>;
  skip: boolean;
}

export async function storeBackends(what: string): Promise<StoreBackend[]> {
  const postgres = await databaseAvailable();
  if (!postgres) console.warn(`PostgreSQL is unreachable: skipping the PostgreSQL ${what}`);
  let drop: () => Promise<void> = async () => undefined;
  return [
    { name: 'SQLite', url: async () => 'sqlite::memory:', drop: async () => undefined, skip: false },
    {
      name: 'PostgreSQL',
      url: async () => {
        const fresh = await freshDatabase();
        drop = fresh.drop;
        return fresh.url;
      },
      drop: () => drop(),
      skip: !postgres,
    },
  ];
}
