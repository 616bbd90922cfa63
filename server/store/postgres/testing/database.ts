/**
 * The PostgreSQL the integration tests use (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test): whether
 * it answers, and schemas of their own that are dropped after the tests — so that tests running at once never share
 * tables.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether PostgreSQL answers; with CI=true its absence is an error, not a reason to skip. */
export async function databaseAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL is unreachable at ${TEST_DATABASE_URL} (CI=true: failing, not skipping)`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Names schemas for one test file and drops them all at the end. */
export class TestSchemas {
  private readonly run = `cw_test_${randomBytes(4).toString('hex')}`;
  private readonly names: string[] = [];

  next(label: string): string {
    const name = `${this.run}_${label}_${this.names.length + 1}`;
    this.names.push(name);
    return name;
  }

  async dropAll(): Promise<void> {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      for (const schema of this.names) await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    } finally {
      await client.end();
    }
  }
}

/** A client whose search path is `schema`. */
export async function clientIn(schema: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
  return client;
}
