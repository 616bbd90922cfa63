import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../shared/event.js';
import { appendAll, draft, ids } from '../testing/fixtures.js';
import { bruteForceCausality, historyArb } from '../testing/conformance/histories.js';
import { readPages } from '../read-pages.js';
import type { EventStore } from '../types.js';
import { openPostgresStore } from './index.js';
import { SCHEMA_VERSION } from './schema.js';
import { TEST_DATABASE_URL, TestSchemas, clientIn, databaseAvailable } from './testing/database.js';
import { appendDensityHistory, densityAnswers } from '../testing/density-history.js';
import { backToVersion4 } from './testing/version-4.js';

const available = await databaseAvailable();
const schemas = new TestSchemas();

const open = (schema: string) => openPostgresStore(TEST_DATABASE_URL, { schema, poolSize: 4 });

async function readAll(store: EventStore, namespace: string): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for await (const page of readPages(store, { namespace }, 50)) all.push(...page);
  return all;
}

/** What a store answers about everything it holds, to compare before and after a migration. */
async function answers(store: EventStore, namespaces: string[]) {
  const result: unknown[] = [await store.head()];
  for (const namespace of namespaces) {
    const events = await readAll(store, namespace);
    result.push(events);
    for (const e of events) {
      result.push(await store.causality(e.id, { namespace, source: e.source, limit: 3 }));
      result.push(await store.latestClock(e.process, { namespace }));
      result.push(await store.readStream(e.stream, 1, { namespace }));
    }
  }
  return result;
}

if (available) {
  describe('postgres schema from version 4', () => {
    it('migrates a database of version 4 on open: the same answers, process rows as appends write them, positions going on', { timeout: 60_000 }, async () => {
      const schema = schemas.next('v4');
      const store = await open(schema);
      const namespaces = ['live', 'replay:m', 'import:m'];
      // Histories with late events (lanes), copies, retries and several processes, in three namespaces; one dropped.
      const histories = fc.sample(historyArb(true), { seed: 7, numRuns: 3 });
      for (const [i, history] of histories.entries()) {
        for (let at = 0; at < history.arriving.length; at += history.batch) await store.append(history.arriving.slice(at, at + history.batch), { namespace: namespaces[i] });
      }
      await appendAll(store, [draft({ process: 'gone' })], 'replay:dropped');
      await store.dropNamespace('replay:dropped');
      for (const own of [5, 3, 4, 1, 2, 6]) await appendAll(store, [draft({ process: 'shuffled', vectorClock: { shuffled: own } })]);
      const before = await answers(store, namespaces);
      const head = await store.head();
      await store.close();

      const client = await clientIn(schema);
      const processRows = async () =>
        (await client.query(`SELECT namespace, process, events::integer, own::integer, clock, lanes FROM process_heads ORDER BY namespace, process`)).rows;
      try {
        const appended = await processRows();
        expect(appended.some((row) => (row.lanes as number[]).length > 1)).toBe(true);
        await backToVersion4(client);

        const reopened = await open(schema);
        try {
          expect((await client.query('SELECT version FROM store_schema')).rows[0]!.version).toBe(SCHEMA_VERSION);
          expect(await processRows()).toEqual(appended);
          expect((await client.query(`SELECT to_regclass('store_head') AS head, to_regclass('namespaces') AS counts`)).rows[0]).toEqual({ head: null, counts: null });
          expect(await answers(reopened, namespaces)).toEqual(before);

          // Appends go on where they left off: positions after the old head, versions and numbering after the old.
          const [next] = await appendAll(reopened, [draft({ process: 'shuffled', vectorClock: { shuffled: 7 }, stream: 'stream-a' })]);
          expect(next!.position).toBe(head + 1);
          const live = await readAll(reopened, 'live');
          expect(next!.version).toBe(live.filter((e) => e.stream === 'stream-a').length);
          const cone = await reopened.causality(next!.id, { limit: 1000 });
          const expected = bruteForceCausality(live, next!, 1000);
          expect({ ...cone!, past: ids(cone!.past), future: ids(cone!.future) }).toEqual({ ...expected, past: ids(expected.past), future: ids(expected.future) });
        } finally {
          await reopened.close();
        }
      } finally {
        await client.end();
      }
    });
  });

  describe('postgres schema from version 8', () => {
    it('counts per second the events of a database from before the counts, as its appends counted them: the same densities', { timeout: 60_000 }, async () => {
      const schema = schemas.next('v8');
      const store = await open(schema);
      await appendDensityHistory(store);
      const before = await densityAnswers(store);
      expect(before.every((answer) => answer.total > 0)).toBe(true);
      await store.close();

      const client = await clientIn(schema);
      const rows = async () => (await client.query(`SELECT namespace, start::text, process, events::integer FROM density_counts ORDER BY 1, 2, 3`)).rows;
      try {
        const appended = await rows();
        await client.query(`DROP TABLE density_counts; DROP INDEX events_by_time; UPDATE store_schema SET version = 8`);
        const reopened = await open(schema);
        try {
          expect((await client.query('SELECT version FROM store_schema')).rows[0]!.version).toBe(SCHEMA_VERSION);
          expect(await rows()).toEqual(appended);
          expect(await densityAnswers(reopened)).toEqual(before);
        } finally {
          await reopened.close();
        }
      } finally {
        await client.end();
      }
    });
  });

  afterAll(() => schemas.dropAll());
} else {
  describe('postgres schema from versions 4 and 8', () => {
    it.skip(`needs PostgreSQL at ${TEST_DATABASE_URL}, which is unreachable`, () => undefined);
  });
}
