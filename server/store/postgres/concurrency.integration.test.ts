import { afterAll, describe, expect, it, vi } from 'vitest';
import { receive, tick, type VectorClock } from '../../../shared/clock.js';
import type { EventDraft, StoredEvent } from '../../../shared/event.js';
import { appendAll, draft, drafts, ids, positions } from '../testing/fixtures.js';
import { bruteForceCausality } from '../testing/conformance/histories.js';
import { readPages } from '../read-pages.js';
import { isStoreError, type AppendResult, type EventStore } from '../types.js';
import { openPostgresStore } from './index.js';
import { TEST_DATABASE_URL, TestSchemas, clientIn, databaseAvailable } from './testing/database.js';
import { holdAppend } from './testing/held-append.js';

const available = await databaseAvailable();
const schemas = new TestSchemas();

/** Stores on one schema: appends from several processes' stores go to the same tables. */
async function storesOn(schema: string, count: number): Promise<EventStore[]> {
  const stores: EventStore[] = [];
  for (let i = 0; i < count; i++) stores.push(await openPostgresStore(TEST_DATABASE_URL, { schema, poolSize: 6 }));
  return stores;
}

/** Everything the store holds in the namespace, page by page. */
async function readAll(store: EventStore, namespace?: string): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for await (const page of readPages(store, { namespace }, 97)) all.push(...page);
  return all;
}

/** A reader paging through the log while it grows, as a consumer would: what it read, in order. */
function pager(store: EventStore): { seen: StoredEvent[]; stop: () => Promise<void> } {
  const seen: StoredEvent[] = [];
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const page = await store.read({ after: seen.at(-1)?.position ?? 0, limit: 37 });
      seen.push(...page);
      if (page.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    seen,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

const strictlyIncreasing = (events: StoredEvent[]) => events.every((e, i) => i === 0 || events[i - 1]!.position < e.position);

if (available) {
  describe('postgres appends in flight at once', () => {
    it(
      'show subscribers and pagers every event once and in position order while 8 writers append and one transaction is held open',
      { timeout: 60_000 },
      async () => {
        const schema = schemas.next('held');
        const [first, second, reader] = await storesOn(schema, 3);
        const everything: StoredEvent[] = [];
        const odd: StoredEvent[] = [];
        const subscriptions = [
          reader!.subscribe({ after: 0, batchSize: 50, onEvents: (batch) => void everything.push(...batch) }),
          reader!.subscribe({ after: 0, types: ['reading.odd'], onEvents: (batch) => void odd.push(...batch) }),
        ];
        const paging = pager(reader!);
        try {
          await first!.append(drafts(3)); // settled before the held transaction takes its positions
          const held = await holdAppend(schema, [draft({ process: 'held', stream: 'held', type: 'reading.odd' })]);
          const [heldAt] = held.positions;
          // 8 writers on two stores: each its own process, streams shared by all.
          const rounds = 12;
          const results = await Promise.all(
            Array.from({ length: 8 }, async (_, w) => {
              const store = w % 2 === 0 ? first! : second!;
              const stored: AppendResult[] = [];
              for (let round = 0; round < rounds; round++) {
                const batch = drafts(5, (i) => ({ process: `writer-${w}`, vectorClock: { [`writer-${w}`]: round * 5 + i + 1 }, stream: `shared-${(w + round + i) % 3}`, type: i % 2 ? 'reading.odd' : 'reading.even' }));
                stored.push(...(await store.append(batch)));
              }
              return stored;
            }),
          );
          const appended = results.flat().map((r) => r.event);
          expect(appended.every((e) => e.position > heldAt!)).toBe(true);
          // Committed, but behind the held transaction: no reader goes past it.
          await new Promise((resolve) => setTimeout(resolve, 300));
          expect(await reader!.head()).toBe(heldAt! - 1);
          expect(positions(everything)).toEqual([1, 2, 3]);
          expect(positions(paging.seen)).toEqual([1, 2, 3]);
          expect(await reader!.read({ after: 3 })).toEqual([]);
          expect(odd.every((e) => e.position < heldAt!)).toBe(true);

          await held.commit();
          const total = 3 + 1 + 8 * rounds * 5;
          await vi.waitFor(() => expect(everything.length).toBeGreaterThanOrEqual(total), { timeout: 10_000, interval: 20 });
          await vi.waitFor(() => expect(paging.seen.length).toBeGreaterThanOrEqual(total), { timeout: 10_000, interval: 20 });
          const stored = await readAll(reader!);
          expect(stored).toHaveLength(total);
          expect(strictlyIncreasing(stored)).toBe(true);
          expect(stored.find((e) => e.position === heldAt)?.process).toBe('held');
          expect(ids(everything)).toEqual(ids(stored));
          expect(ids(paging.seen)).toEqual(ids(stored));
          await vi.waitFor(() => expect(ids(odd)).toEqual(ids(stored.filter((e) => e.type === 'reading.odd'))), { timeout: 10_000, interval: 20 });
          expect(new Set(ids(appended))).toEqual(new Set(ids(stored.filter((e) => e.process.startsWith('writer-')))));
        } finally {
          for (const s of subscriptions) s.close();
          await paging.stop();
          for (const store of [first, second, reader]) await store!.close();
        }
      },
    );

    it('lets readers pass a held transaction that rolls back, whose events never appear', { timeout: 30_000 }, async () => {
      const schema = schemas.next('rollback');
      const [writer, reader] = await storesOn(schema, 2);
      try {
        await writer!.append(drafts(2));
        const held = await holdAppend(schema, [draft({ process: 'held', stream: 'held' }), draft({ process: 'held', stream: 'held' })]);
        const after = await writer!.append(drafts(4));
        expect(await reader!.head()).toBe(2);
        expect(positions(await reader!.read())).toEqual([1, 2]);
        await held.rollBack();
        // Others took positions after it: its own stay unused.
        expect(positions(await reader!.read())).toEqual([1, 2, ...positions(after.map((r) => r.event))]);
        expect((await reader!.read()).some((e) => e.process === 'held')).toBe(false);
        expect(await reader!.head()).toBe(after.at(-1)!.event.position);
      } finally {
        await writer!.close();
        await reader!.close();
      }
    });

    it('answers causality only once the transactions before the events it shows have settled', { timeout: 30_000 }, async () => {
      const schema = schemas.next('causality');
      const [store] = await storesOn(schema, 1);
      try {
        const [cause] = await appendAll(store!, [draft({ process: 'p', vectorClock: { p: 1 } })]);
        const held = await holdAppend(schema, [draft({ process: 'held', stream: 'held', vectorClock: { held: 1, p: 1 } })]);
        const [later] = await appendAll(store!, [draft({ process: 'q', vectorClock: { q: 1, p: 1 } })]);
        let answered = false;
        const answer = store!.causality(cause!.id).then((result) => {
          answered = true;
          return result;
        });
        await new Promise((resolve) => setTimeout(resolve, 60));
        expect(answered).toBe(false);
        await held.commit();
        const result = await answer;
        expect(result).toMatchObject({ futureCount: 2, pastCount: 0, concurrent: 0 });
        expect(positions(result!.future)).toEqual([...held.positions, later!.position]);
      } finally {
        await store!.close();
      }
    });

    it('gives back the positions of a held transaction that rolls back when no one took later ones', async () => {
      const schema = schemas.next('give_back');
      const [store] = await storesOn(schema, 1);
      try {
        await store!.append(drafts(2));
        const held = await holdAppend(schema, [draft({ process: 'held', stream: 'held' })]);
        expect(held.positions).toEqual([3]);
        await held.rollBack();
        const [next] = await store!.append([draft()]);
        expect(next!.event.position).toBe(3);
      } finally {
        await store!.close();
      }
    });

    it('numbers each process once per event under 8 writers on two stores: seq is the rank by own counter and position', { timeout: 60_000 }, async () => {
      const schema = schemas.next('seq');
      const stores = await storesOn(schema, 2);
      const processes = ['p0', 'p1', 'p2'];
      // Each call takes the next counters of its process when it is made; calls of one process from several
      // writers arrive in any order, so some events are late.
      const counters = new Map(processes.map((p) => [p, 0]));
      const clocks = new Map<string, VectorClock>();
      try {
        await Promise.all(
          Array.from({ length: 8 }, async (_, w) => {
            for (let round = 0; round < 10; round++) {
              const process = processes[(w + round) % 3]!;
              const batch: EventDraft[] = [];
              for (let i = 0; i < 6; i++) {
                counters.set(process, counters.get(process)! + 1);
                const other = processes[(w + i) % 3]!;
                const stepped = other !== process && clocks.has(other) ? receive(clocks.get(process) ?? {}, clocks.get(other)!, process) : tick(clocks.get(process) ?? {}, process);
                const clock = { ...stepped, [process]: counters.get(process)! };
                clocks.set(process, clock);
                batch.push(draft({ process, vectorClock: clock, stream: `s-${w}` }));
              }
              await stores[w % 2]!.append(batch);
            }
          }),
        );
        const client = await clientIn(schema);
        try {
          const { rows } = await client.query<{ process: string; events: string; distinct_seq: string; ranked: string; max_own: string }>(`
            SELECT process, count(*) AS events, count(DISTINCT seq) AS distinct_seq,
                   count(*) FILTER (WHERE seq = rank) AS ranked, max(own) AS max_own
            FROM (SELECT process, seq, own, row_number() OVER (PARTITION BY process ORDER BY own, position) AS rank FROM events) AS e
            GROUP BY process ORDER BY process`);
          expect(rows.map((r) => r.process)).toEqual(processes);
          for (const row of rows) {
            expect(row.distinct_seq).toBe(row.events);
            expect(row.ranked).toBe(row.events);
          }
          const heads = (await client.query<{ process: string; events: string; own: string }>(`SELECT process, events, own FROM process_heads ORDER BY process`)).rows;
          expect(heads.map((h) => [h.process, h.events, h.own])).toEqual(rows.map((r) => [r.process, r.events, r.max_own]));
        } finally {
          await client.end();
        }
        const stored = await readAll(stores[0]!);
        expect(stored).toHaveLength(8 * 10 * 6);
        for (const e of stored.filter((_, i) => i % 16 === 0)) {
          const result = await stores[1]!.causality(e.id, { limit: 5 });
          const expected = bruteForceCausality(stored, e, 5);
          expect({ ...result!, past: ids(result!.past), future: ids(result!.future) }, `causality of ${e.id}`).toEqual({
            ...expected,
            past: ids(expected.past),
            future: ids(expected.future),
          });
        }
      } finally {
        for (const store of stores) await store.close();
      }
    });

    it('numbers a process’s events in position order, each number once, when 8 writers append in counter order', { timeout: 60_000 }, async () => {
      const schema = schemas.next('order');
      const stores = await storesOn(schema, 2);
      try {
        await Promise.all(
          Array.from({ length: 8 }, async (_, w) => {
            for (let round = 0; round < 10; round++) {
              const batch = drafts(8, (i) => ({ process: `writer-${w}`, vectorClock: { [`writer-${w}`]: round * 8 + i + 1 }, stream: `shared-${i % 4}` }));
              await stores[w % 2]!.append(batch);
            }
          }),
        );
        const client = await clientIn(schema);
        try {
          const { rows } = await client.query<{ process: string; seqs: number[]; owns: number[] }>(
            `SELECT process, array_agg(seq::integer ORDER BY position) AS seqs, array_agg(own::integer ORDER BY position) AS owns FROM events GROUP BY process`,
          );
          expect(rows).toHaveLength(8);
          const oneToEighty = Array.from({ length: 80 }, (_, i) => i + 1);
          for (const row of rows) {
            expect(row.seqs).toEqual(oneToEighty);
            expect(row.owns).toEqual(oneToEighty);
          }
          const versions = (await client.query<{ stream: string; versions: number[] }>(`SELECT stream, array_agg(version ORDER BY position) AS versions FROM events GROUP BY stream`)).rows;
          for (const { versions: v } of versions) expect(v).toEqual(Array.from({ length: v.length }, (_, i) => i + 1));
        } finally {
          await client.end();
        }
      } finally {
        for (const store of stores) await store.close();
      }
    });

    it('answers an event appended again while its first append is still in flight as a duplicate of it', { timeout: 30_000 }, async () => {
      const schema = schemas.next('in_flight');
      const [store] = await storesOn(schema, 1);
      try {
        // Calls made at once are cut into groups of a few hundred events: the third call's go with the second's.
        const first = drafts(150, (i) => ({ stream: `a-${i % 3}` }));
        const calls = [first, drafts(150, (i) => ({ stream: `b-${i % 3}` })), first.map((d) => ({ ...d }))];
        const [a, b, again] = await Promise.all(calls.map((c) => store!.append(c)));
        expect(again!.map((r) => r.duplicate)).toEqual(first.map(() => true));
        expect(again!.map((r) => r.event)).toEqual(a!.map((r) => r.event));
        expect(positions([...a!, ...b!].map((r) => r.event)).sort((x, y) => x - y)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
        expect(await readAll(store!)).toHaveLength(300);
      } finally {
        await store!.close();
      }
    });

    it('stores an id two stores append at once once: the other gets it as a duplicate, or a conflict when it differs', { timeout: 30_000 }, async () => {
      const schema = schemas.next('duplicates');
      const [a, b] = await storesOn(schema, 2);
      try {
        for (let i = 0; i < 10; i++) {
          const d = draft({ process: `p-${i}`, stream: `s-${i}` });
          const [x, y] = await Promise.all([a!.append([d]), b!.append([{ ...d, vectorClock: { [`p-${i}`]: 99 } }])]);
          expect([x![0]!.duplicate, y![0]!.duplicate].sort()).toEqual([false, true]);
          expect(x![0]!.event).toEqual(y![0]!.event);
        }
        expect(await readAll(a!)).toHaveLength(10);
        for (let i = 0; i < 10; i++) {
          const d = draft({ stream: `c-${i}` });
          const outcomes = await Promise.allSettled([a!.append([d]), b!.append([{ ...d, data: { other: i } }])]);
          expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
          const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
          expect(isStoreError(refused.reason, 'duplicate_conflict')).toBe(true);
          const kept = (outcomes.find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<AppendResult[]>).value[0]!.event;
          expect(await b!.get(d.id)).toEqual(kept);
        }
      } finally {
        await a!.close();
        await b!.close();
      }
    });

    it('lets one of two stores appending with the same expected version win; the other gets version_conflict', { timeout: 30_000 }, async () => {
      const schema = schemas.next('versions');
      const [a, b] = await storesOn(schema, 2);
      try {
        for (let i = 0; i < 10; i++) {
          const stream = `race-${i}`;
          const outcomes = await Promise.allSettled([
            a!.append([draft({ stream, process: 'a', expectedVersion: 0 })]),
            b!.append([draft({ stream, process: 'b', expectedVersion: 0 })]),
          ]);
          expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
          expect(isStoreError((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason, 'version_conflict')).toBe(true);
          expect((await a!.readStream(stream)).map((e) => e.version)).toEqual([1]);
        }
      } finally {
        await a!.close();
        await b!.close();
      }
    });
  });

  afterAll(() => schemas.dropAll());
} else {
  describe('postgres appends in flight at once', () => {
    it.skip(`needs PostgreSQL at ${TEST_DATABASE_URL}, which is unreachable`, () => undefined);
  });
}
