import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import type { StoredEvent } from '../../shared/event.js';
import { describeEventStore } from './testing/conformance.js';
import { appendAll, draft, drafts, expectStoreError } from './testing/fixtures.js';
import { historyArb } from './testing/conformance/histories.js';
import { openStore } from './index.js';
import { openPostgresStore } from './postgres/index.js';
import { numberByProcess } from './postgres/schema.js';
import { backToVersion4 } from './postgres/testing/version-4.js';
import { isStoreError } from './types.js';

const URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUN = `cw_test_${randomBytes(4).toString('hex')}`;

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const available = await reachable();
if (!available && process.env.CI === 'true') throw new Error(`PostgreSQL is unreachable at ${URL} (CI=true: failing, not skipping)`);

let schemas = 0;
const opened: string[] = [];

if (available) {
  // Every test gets a fresh, empty store in its own schema; all of this run's schemas are dropped afterwards.
  describeEventStore('postgres', async () => {
    const schema = `${RUN}_${++schemas}`;
    opened.push(schema);
    return openPostgresStore(URL, { schema, poolSize: 4 });
  });

  describe('postgres event store shared by several processes', () => {
    it('shows subscribers every position in order, never n + 1 before n, while two writers append', { timeout: 30_000 }, async () => {
      const schema = `${RUN}_shared`;
      opened.push(schema);
      const writers = [await openPostgresStore(URL, { schema, poolSize: 2 }), await openPostgresStore(URL, { schema, poolSize: 2 })];
      const reader = await openPostgresStore(URL, { schema, poolSize: 2 });
      const seen: StoredEvent[] = [];
      const subscription = reader.subscribe({ after: 0, batchSize: 50, onEvents: (batch) => void seen.push(...batch) });
      try {
        await Promise.all(
          writers.map(async (writer) => {
            for (let round = 0; round < 20; round++) await Promise.all([writer.append(drafts(3)), writer.append(drafts(2))]);
          }),
        );
        const total = 2 * 20 * 5;
        expect(await reader.head()).toBe(total);
        await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(total), { timeout: 10_000, interval: 20 });
        expect(seen.map((e) => e.position)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      } finally {
        subscription.close();
        for (const store of [...writers, reader]) await store.close();
      }
    });
  });

  describe('postgres schema', () => {
    it('numbers the events of a database from before seq and lane as its appends did, and answers causality alike', async () => {
      const schema = `${RUN}_migrated`;
      opened.push(schema);
      const store = await openPostgresStore(URL, { schema, poolSize: 2 });
      const histories = fc.sample(historyArb(true), { seed: 5, numRuns: 3 });
      const namespaces = ['live', 'replay:m', 'import:m'];
      const stored: { event: StoredEvent; namespace: string }[] = [];
      for (const [i, history] of histories.entries()) {
        for (let at = 0; at < history.arriving.length; at += history.batch) {
          const events = await appendAll(store, history.arriving.slice(at, at + history.batch), namespaces[i]);
          stored.push(...events.map((event) => ({ event, namespace: namespaces[i]! })));
        }
      }
      for (const own of [5, 3, 4, 1, 2, 6]) {
        const [event] = await appendAll(store, [draft({ process: 'shuffled', vectorClock: { shuffled: own } })]);
        stored.push({ event: event!, namespace: 'live' });
      }
      const answers = async (s: typeof store) =>
        Promise.all(stored.map(({ event, namespace }) => s.causality(event.id, { namespace, limit: 3 })));
      const before = await answers(store);
      await store.close();

      const client = new pg.Client({ connectionString: URL });
      await client.connect();
      try {
        await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
        const numbering = async () => (await client.query('SELECT position, seq, lane FROM events ORDER BY position')).rows;
        const appended = await numbering();
        expect(appended.some((row) => row.lane > 1)).toBe(true);
        await client.query(`DROP INDEX events_by_lane;
          DROP INDEX events_by_process;
          ALTER TABLE events DROP COLUMN seq, DROP COLUMN lane;
          CREATE INDEX events_by_process ON events (namespace, process, own);`);
        await numberByProcess(client);
        expect(await numbering()).toEqual(appended);
      } finally {
        await client.end();
      }

      const reopened = await openPostgresStore(URL, { schema, poolSize: 2 });
      try {
        expect(await answers(reopened)).toEqual(before);
      } finally {
        await reopened.close();
      }
    });
  });

  describe('postgres schema before (source, id) identity', () => {
    it('is migrated on open: its events are still found as duplicates, and other sources may reuse their ids', async () => {
      const schema = `${RUN}_identity`;
      opened.push(schema);
      const store = await openPostgresStore(URL, { schema, poolSize: 2 });
      const a = draft({ id: 'shared', source: 'test://a', stream: 's' });
      const [stored] = await appendAll(store, [a, draft({ stream: 's' })]);
      await store.close();

      // The schema as the version before made it: ids unique per namespace.
      const client = new pg.Client({ connectionString: URL });
      await client.connect();
      const indexOf = async () =>
        (await client.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'events_by_id'`, [schema])).rows[0]!.indexdef;
      try {
        await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
        const version = (await client.query<{ version: number }>('SELECT version FROM store_schema')).rows[0]!.version;
        await backToVersion4(client);
        await client.query(`DROP INDEX events_by_id; CREATE UNIQUE INDEX events_by_id ON events (namespace, id);
          UPDATE store_schema SET version = 3;`);

        const reopened = await openPostgresStore(URL, { schema, poolSize: 2 });
        try {
          expect(await reopened.append([{ ...a }])).toEqual([{ event: stored, duplicate: true }]);
          await expectStoreError(reopened.append([{ ...a, data: { other: true } }]), 'duplicate_conflict');
          const [b] = await reopened.append([draft({ id: 'shared', source: 'test://b', stream: 's', expectedVersion: 2 })]);
          expect(b).toMatchObject({ duplicate: false, event: { position: 3, version: 3, source: 'test://b' } });
          expect(await reopened.get('shared')).toEqual(stored);
        } finally {
          await reopened.close();
        }
        expect((await client.query<{ version: number }>('SELECT version FROM store_schema')).rows[0]!.version).toBe(version);
        expect(await indexOf()).toContain('(namespace, id, source)');
      } finally {
        await client.end();
      }
    });
  });

  describe('postgres with a full disk', () => {
    it('answers storage_full when PostgreSQL reports disk_full (53100), writes nothing of the group, and appends again after', async () => {
      const schema = `${RUN}_full`;
      opened.push(schema);
      const store = await openPostgresStore(URL, { schema, poolSize: 2 });
      const client = new pg.Client({ connectionString: URL });
      await client.connect();
      try {
        const [first] = await appendAll(store, [draft()]);
        await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
        // PostgreSQL raises the SQLSTATE a full disk gives, from inside the group commit's insert.
        await client.query(`CREATE FUNCTION disk_is_full() RETURNS trigger LANGUAGE plpgsql AS
          $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$;
          CREATE TRIGGER disk_is_full BEFORE INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION disk_is_full();`);
        const refusals = await Promise.allSettled([store.append(drafts(3)), store.append(drafts(2))]);
        for (const refusal of refusals) {
          expect(refusal.status).toBe('rejected');
          const reason = (refusal as PromiseRejectedResult).reason as unknown;
          expect(isStoreError(reason, 'storage_full')).toBe(true);
          expect((reason as Error).message).toMatch(/no room left \(PostgreSQL 53100: could not extend file/);
        }
        expect(await store.read()).toEqual([first]);
        await client.query('DROP TRIGGER disk_is_full ON events');
        const [next] = await appendAll(store, [draft()]);
        expect(next!.position).toBe(2);
      } finally {
        await client.end();
        await store.close();
      }
    });
  });

  describe('postgres store options', () => {
    /** A URL whose connections name themselves `app` and work in `schema` (created first). */
    async function urlFor(schema: string, app: string): Promise<string> {
      const client = new pg.Client({ connectionString: URL });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
      } finally {
        await client.end();
      }
      const url = new globalThis.URL(URL);
      url.searchParams.set('application_name', app);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return url.toString();
    }

    async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<T[]> {
      const client = new pg.Client({ connectionString: URL });
      await client.connect();
      try {
        return (await client.query<T>(sql, values)).rows;
      } finally {
        await client.end();
      }
    }

    it('opens as many connections as the pool size openStore is given', async () => {
      const schema = `${RUN}_pool`;
      opened.push(schema);
      for (const poolSize of [2, 5]) {
        const app = `${schema}_${poolSize}`;
        const store = await openStore(await urlFor(schema, app), { poolSize });
        try {
          // More reads at once than connections: the pool opens all it may, and no more.
          await Promise.all(Array.from({ length: 20 }, () => store.read({ limit: 1 })));
          const [row] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND query NOT LIKE 'LISTEN%'`, [app]);
          expect(row!.n).toBe(poolSize);
        } finally {
          await store.close();
        }
      }
    });

    it('holds at most maxGroupEvents events in one append transaction, never splitting a call', async () => {
      const transactions: number[] = [];
      for (const maxGroupEvents of [10, undefined]) {
        const schema = `${RUN}_groups_${maxGroupEvents ?? 'default'}`;
        opened.push(schema);
        const store = await openStore(await urlFor(schema, schema), maxGroupEvents ? { maxGroupEvents } : {});
        try {
          const results = await Promise.all([4, 4, 4, 12, 1, 1].map((n) => store.append(drafts(n))));
          expect(results.flat()).toHaveLength(26);
          // The rows one transaction wrote share its id (xmin).
          const [row] = await query<{ n: number }>(`SELECT count(DISTINCT xmin::text)::int AS n FROM ${pg.escapeIdentifier(schema)}.events`, []);
          transactions.push(row!.n);
        } finally {
          await store.close();
        }
      }
      // 4 + 4 | 4 | 12 | 1 + 1 with the bound; one transaction for all without it.
      expect(transactions).toEqual([4, 1]);
    });
  });

  afterAll(async () => {
    const client = new pg.Client({ connectionString: URL });
    await client.connect();
    try {
      for (const schema of opened) await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    } finally {
      await client.end();
    }
  });
} else {
  describe('postgres event store', () => {
    it.skip(`needs PostgreSQL at ${URL}, which is unreachable`, () => undefined);
  });
}
