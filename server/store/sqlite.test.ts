import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { StoredEvent } from '../../shared/event.js';
import { describeEventStore } from './testing/conformance.js';
import { appendAll, draft, drafts, expectStoreError, flowDraft, ids, positions } from './testing/fixtures.js';
import { historyArb } from './testing/conformance/histories.js';
import { CAUSALITY_SQL } from './sqlite/causality.js';
import { openSqliteStore } from './sqlite/index.js';
import { isStoreError } from './types.js';
import { eventQuery } from './sqlite/query.js';
import { numberByProcess } from './sqlite/schema.js';
import { STATE_SQL } from './sqlite/write-state.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-sqlite-test-'));
let files = 0;
const freshFile = () => join(dir, `store-${++files}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// In memory the store's own connection writes; on a file, a writer thread's connection (write-connection.ts).
describeEventStore('sqlite', async () => openSqliteStore(':memory:'));
describeEventStore('sqlite on a file', async () => openSqliteStore(freshFile()));

describe('sqlite event store on a file', () => {
  it('keeps events, streams, flows, snapshots and checkpoints across close and reopen', async () => {
    const path = freshFile();
    const first = openSqliteStore(path);
    const stored = (await first.append(drafts(3, () => ({ stream: 'orders' })))).map((r) => r.event);
    await first.append(drafts(2), { namespace: 'replay:r1' });
    await first.flows.create({ ...flowDraft(), id: 'f-1' }, 'ada');
    await first.flows.setDeployment('f-1', 1);
    await first.saveSnapshot({ key: 'actor:n1:k', state: { n: 3 }, position: 3 });
    await first.setCheckpoints({ 'f-1:n1': 3 });
    await first.close();

    const second = openSqliteStore(path);
    try {
      expect(await second.read()).toEqual(stored);
      expect(await second.head()).toBe(5);
      expect(await second.read({ namespace: 'replay:r1' })).toHaveLength(2);
      expect(await second.flows.deployments()).toEqual([{ flowId: 'f-1', revision: 1 }]);
      expect(await second.loadSnapshot('actor:n1:k')).toEqual({ key: 'actor:n1:k', state: { n: 3 }, position: 3 });
      expect(await second.getCheckpoint('f-1:n1')).toBe(3);
      const [next] = await second.append([draft({ stream: 'orders', expectedVersion: 3 })]);
      expect(next!.event).toMatchObject({ position: 6, version: 4 });
      const [again] = await second.append([{ ...stored[0]! }]);
      expect(again).toEqual({ event: stored[0], duplicate: true });
    } finally {
      await second.close();
    }
  });

  it('keeps positions growing after reopening a store whose newest events were in a dropped namespace', async () => {
    const path = freshFile();
    const first = openSqliteStore(path);
    await first.append(drafts(2));
    await first.append(drafts(3), { namespace: 'replay:r1' });
    expect(await first.dropNamespace('replay:r1')).toBe(3);
    await first.close();

    const second = openSqliteStore(path);
    try {
      expect(await second.head()).toBe(5);
      const [next] = await second.append([draft()]);
      expect(next!.event.position).toBe(6);
    } finally {
      await second.close();
    }
  });

  it('answers storage_full when the database cannot grow, and loses nothing it acknowledged', { timeout: 30_000 }, async () => {
    const path = freshFile();
    await openSqliteStore(path).close();
    const pages = new Database(path).pragma('page_count', { simple: true }) as number;
    // SQLite's own limit on the file's size: past it, a write fails with SQLITE_FULL, as on a full disk.
    const store = openSqliteStore(path, { pragmas: [`max_page_count = ${pages + 40}`] });
    const acknowledged: StoredEvent[] = [];
    let refusal: unknown = null;
    try {
      for (let round = 0; round < 1000 && refusal === null; round++) {
        // Several calls at once: the group commit that fails, and those planned behind it, are all refused.
        const outcomes = await Promise.allSettled([0, 1, 2].map(() => store.append(drafts(20, () => ({ data: { text: 'x'.repeat(200) } })))));
        for (const outcome of outcomes) {
          if (outcome.status === 'fulfilled') acknowledged.push(...outcome.value.map((r) => r.event));
          else refusal ??= outcome.reason;
        }
      }
      expect(refusal).toMatchObject({ code: 'storage_full' });
      expect(isStoreError(refusal, 'storage_full')).toBe(true);
      expect((refusal as Error).message).toMatch(/no room left \(SQLITE_FULL: .*\): nothing of this write was stored; free disk space/);
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(await store.read({ limit: 10_000 })).toEqual(acknowledged);
    } finally {
      await store.close();
    }
    const reopened = openSqliteStore(path);
    try {
      expect(await reopened.read({ limit: 10_000 })).toEqual(acknowledged);
      const [next] = await reopened.append([draft()]);
      expect(next!.event.position).toBe(acknowledged.length + 1);
    } finally {
      await reopened.close();
    }
  });

  it('refuses a write made after closing instead of leaving it waiting on the closed writer thread', async () => {
    const store = openSqliteStore(freshFile());
    await store.replays.save({ id: 'r1', process: 'main', state: 'done', startedAt: new Date().toISOString(), finishedAt: null, error: null, details: {} });
    await store.close();
    const record = { id: 'r2', process: 'main', state: 'done' as const, startedAt: new Date().toISOString(), finishedAt: null, error: null, details: {} };
    await expect(store.replays.save(record)).rejects.toThrow(/closed/);
  });

  it('saves and deploys flows without holding up the event loop while another connection holds the write lock', async () => {
    const path = freshFile();
    const store = openSqliteStore(path);
    const other = new Database(path);
    try {
      await store.flows.create({ id: 'f-held', ...flowDraft() });
      other.exec('BEGIN IMMEDIATE');
      const settled: string[] = [];
      const watch = <T>(name: string, p: Promise<T>) =>
        p.then(
          () => settled.push(name),
          (e: unknown) => settled.push(`${name}: ${String(e)}`),
        );
      const saving = watch('update', store.flows.update('f-held', flowDraft('renamed'), 1));
      const deploying = watch('deploy', store.flows.setDeployment('f-held', 1));
      let turned = false;
      setTimeout(() => (turned = true), 0);
      await new Promise((r) => setTimeout(r, 100));
      // The event loop went on turning, and the writes wait for the lock instead of failing or blocking it.
      expect(turned).toBe(true);
      expect(settled).toEqual([]);
      expect((await store.flows.get('f-held'))!.revision).toBe(1);
      other.exec('COMMIT');
      await Promise.all([saving, deploying]);
      expect(settled).toEqual(['update', 'deploy']);
      expect((await store.flows.get('f-held'))!.name).toBe('renamed');
      expect(await store.flows.deployments()).toEqual([{ flowId: 'f-held', revision: 1 }]);
    } finally {
      other.close();
      await store.close();
    }
  });

  it("hands a subscriber another process's appends after its own, by its next poll", async () => {
    const path = freshFile();
    const a = openSqliteStore(path);
    const b = openSqliteStore(path);
    const seen: number[] = [];
    const subscription = a.subscribe({ after: 0, onEvents: (events) => void seen.push(...positions(events)) });
    try {
      await a.append([draft()]);
      await b.append([draft(), draft()]); // nothing of a's own follows to notice them by
      const deadline = Date.now() + 5000;
      while (seen.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(seen).toEqual([1, 2, 3]);
    } finally {
      subscription.close();
      await a.close();
      await b.close();
    }
  });

  it('continues correctly when another connection appended to the same file meanwhile', async () => {
    const path = freshFile();
    const a = openSqliteStore(path);
    const b = openSqliteStore(path);
    try {
      await a.append([draft({ stream: 's' })]);
      await b.append([draft({ stream: 's' }), draft({ stream: 's' })]);
      const [fromA] = await a.append([draft({ stream: 's', expectedVersion: 3 })]);
      expect(fromA!.event).toMatchObject({ position: 4, version: 4 });
      expect(positions(await b.read())).toEqual([1, 2, 3, 4]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('sqlite schema', () => {
  it('numbers the events of a database from before seq and lane as its appends did, and answers causality alike', async () => {
    const path = freshFile();
    const store = openSqliteStore(path);
    const histories = fc.sample(historyArb(true), { seed: 5, numRuns: 3 });
    const namespaces = ['live', 'replay:m', 'import:m'];
    const stored: { event: StoredEvent; namespace: string }[] = [];
    for (const [i, history] of histories.entries()) {
      for (let at = 0; at < history.arriving.length; at += history.batch) {
        stored.push(...(await appendAll(store, history.arriving.slice(at, at + history.batch), namespaces[i])).map((event) => ({ event, namespace: namespaces[i]! })));
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

    const numbering = (db: Database.Database) => db.prepare('SELECT position, seq, lane FROM events ORDER BY position').all();
    const db = new Database(path);
    const appended = numbering(db);
    expect(appended.some((row) => (row as { lane: number }).lane > 1)).toBe(true);
    db.exec(`DROP INDEX events_by_lane;
      DROP INDEX events_by_process;
      ALTER TABLE events DROP COLUMN seq;
      ALTER TABLE events DROP COLUMN lane;
      CREATE INDEX events_by_process ON events (namespace, process, own);`);
    db.transaction(() => numberByProcess(db))();
    expect(numbering(db)).toEqual(appended);
    db.close();

    const reopened = openSqliteStore(path);
    try {
      expect(await answers(reopened)).toEqual(before);
    } finally {
      await reopened.close();
    }
  });
});

describe('sqlite schema before (source, id) identity', () => {
  it('is migrated on open: its events are still found as duplicates, and other sources may reuse their ids', async () => {
    const path = freshFile();
    const store = openSqliteStore(path);
    const a = draft({ id: 'shared', source: 'test://a', stream: 's' });
    const [stored] = await appendAll(store, [a, draft({ stream: 's' })]);
    await store.close();

    // The database as the version before made it: ids unique per namespace.
    const old = new Database(path);
    const version = old.pragma('user_version', { simple: true }) as number;
    // Undone too: the migrations after it, the snapshot history and the counts per second.
    old.exec(`DROP TABLE density_counts; DROP INDEX events_by_time;
      DROP TRIGGER snapshots_keep_history_on_insert; DROP TRIGGER snapshots_keep_history_on_update;
      DROP TABLE snapshot_history; DROP TABLE snapshot_history_keep;
      DROP INDEX events_by_id; CREATE UNIQUE INDEX events_by_id ON events (namespace, id); PRAGMA user_version = ${version - 3}`);
    old.close();

    const reopened = openSqliteStore(path);
    try {
      expect(await reopened.append([{ ...a }])).toEqual([{ event: stored, duplicate: true }]);
      await expectStoreError(reopened.append([{ ...a, data: { other: true } }]), 'duplicate_conflict');
      const [b] = await reopened.append([draft({ id: 'shared', source: 'test://b', stream: 's', expectedVersion: 2 })]);
      expect(b).toMatchObject({ duplicate: false, event: { position: 3, version: 3, source: 'test://b' } });
      expect(await reopened.get('shared')).toEqual(stored);
    } finally {
      await reopened.close();
    }
    const migrated = new Database(path, { readonly: true });
    try {
      expect(migrated.pragma('user_version', { simple: true })).toBe(version);
      expect(migrated.prepare(`SELECT sql FROM sqlite_master WHERE name = 'events_by_id'`).pluck().get()).toContain('(namespace, id, source)');
    } finally {
      migrated.close();
    }
  });
});

describe('sqlite group commit', () => {
  it('writes appends made in the same turn in one transaction and resolves each after it committed', async () => {
    const store = openSqliteStore(':memory:');
    try {
      const before = store.commits;
      const calls = Array.from({ length: 20 }, () => store.append(drafts(5)));
      expect(store.commits).toBe(before); // nothing is committed before the turn ends
      const results = await Promise.all(calls);
      expect(store.commits).toBe(before + 1);
      expect(positions(results.flat().map((r) => r.event))).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    } finally {
      await store.close();
    }
  });

  it('groups the appends that arrive once a commit has begun into the next single transaction', async () => {
    const store = openSqliteStore(':memory:');
    try {
      const first = store.append(drafts(1));
      // Queued behind the first commit in the same event-loop phase: these arrive after it began.
      const later = new Promise<unknown>((resolve) => {
        setImmediate(() => resolve(Promise.all([store.append(drafts(1)), store.append(drafts(1)), store.append(drafts(1))])));
      });
      await Promise.all([first, later]);
      expect(store.commits).toBe(2);
      expect(await store.head()).toBe(4);
    } finally {
      await store.close();
    }
  });

  it('commits the calls of a group that do not conflict even when one does', async () => {
    const store = openSqliteStore(':memory:');
    try {
      await store.append([draft({ stream: 's' })]);
      const outcomes = await Promise.allSettled([
        store.append([draft({ stream: 'a' })]),
        store.append([draft({ stream: 's', expectedVersion: 0 })]),
        store.append([draft({ stream: 'b' })]),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(store.commits).toBe(2);
      expect(positions(await store.read())).toEqual([1, 2, 3]);
    } finally {
      await store.close();
    }
  });

  it('holds at most maxGroupEvents events in one transaction, in call order, never splitting a call', async () => {
    for (const [path, name] of [[':memory:', 'in memory'], [freshFile(), 'on a file']] as const) {
      const store = openSqliteStore(path, { maxGroupEvents: 10 });
      try {
        // 4 + 4 fit, the third call starts the next group; the call of 12 is a group of its own.
        const calls = [4, 4, 4, 12, 1, 1].map((n) => store.append(drafts(n)));
        const results = await Promise.all(calls);
        expect(store.commits, name).toBe(4);
        expect(positions(results.flat().map((r) => r.event)), name).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
      } finally {
        await store.close();
      }
    }
  });
});

describe('sqlite query plans', () => {
  // A database with the schema and enough rows for the planner to have a choice.
  const path = freshFile();
  const seed = async () => {
    const store = openSqliteStore(path);
    const events = Array.from({ length: 200 }, (_, i) =>
      draft({ process: `p${i % 4}`, vectorClock: { [`p${i % 4}`]: Math.floor(i / 4) + 1, p0: Math.floor(i / 2) + 1 } }),
    );
    await store.append(events);
    await store.append(drafts(10), { namespace: 'replay:q' });
    await store.close();
  };
  const plan = (db: Database.Database, sql: string, params: unknown[]) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
  const fullScans = (details: string[]) => details.filter((d) => /^SCAN events\b/.test(d) || /^SCAN clock_entries\b/.test(d));

  it('finds the causal past and future through indexes, never scanning all events', async () => {
    await seed();
    const db = new Database(path, { readonly: true });
    try {
      const range = { namespace: 'live', process: 'p0', from: 1, to: 10 };
      const queries: [string, unknown[]][] = [
        [CAUSALITY_SQL.firstKnowing, [{ namespace: 'live', peer: 'p0', counter: 3 }]],
        [CAUSALITY_SQL.countRange, [range]],
        [CAUSALITY_SQL.renumber, [{ namespace: 'live', process: 'p0', from: 5 }]],
        [CAUSALITY_SQL.readRange('DESC'), [{ ...range, take: 100 }]],
        [CAUSALITY_SQL.readRange('ASC'), [{ ...range, take: 100 }]],
        [CAUSALITY_SQL.lanes, ['live', 'p0']],
        [CAUSALITY_SQL.readLane('DESC'), [{ ...range, lane: 1, take: 100 }]],
        [STATE_SQL.laneTop, ['live', 'p0', 1]],
        [CAUSALITY_SQL.rows('DESC'), ['[3, 1, 2]']],
        [STATE_SQL.latestClock, ['live', 'p0']],
      ];
      for (const [sql, params] of queries) {
        const details = plan(db, sql, params);
        expect(details.some((d) => d.startsWith('SEARCH'))).toBe(true);
        expect(fullScans(details), details.join('\n')).toEqual([]);
      }
    } finally {
      db.close();
    }
  });

  it('counts causal cones and picks their nearest events from the indexes alone, without reading rows', async () => {
    const db = new Database(path, { readonly: true });
    try {
      const range = { namespace: 'live', process: 'p0', from: 1, to: 10 };
      const queries: [string, unknown[]][] = [
        [CAUSALITY_SQL.countRange, [range]],
        [CAUSALITY_SQL.lanes, ['live', 'p0']],
        [CAUSALITY_SQL.readRange('DESC'), [{ ...range, take: 100 }]],
        [CAUSALITY_SQL.readLane('ASC'), [{ ...range, lane: 2, take: 100 }]],
        [STATE_SQL.laneTop, ['live', 'p0', 1]],
      ];
      for (const [sql, params] of queries) {
        const details = plan(db, sql, params).filter((d) => /^(SEARCH|SCAN) events\b/.test(d));
        expect(details.length, sql).toBeGreaterThan(0);
        expect(details.every((d) => d.includes('COVERING INDEX')), details.join('\n')).toBe(true);
        expect(plan(db, sql, params).some((d) => d.includes('TEMP B-TREE')), sql).toBe(false);
      }
    } finally {
      db.close();
    }
  });

  it('reads by position, stream, correlation and namespace through indexes', async () => {
    const db = new Database(path, { readonly: true });
    try {
      const filters = [{}, { stream: 'stream-a' }, { correlationId: 'evt-1', types: ['reading.*'] }, { namespace: 'replay:q' }, { source: 'x' }];
      for (const filter of filters) {
        const query = eventQuery(filter, { after: 10, upTo: 100, limit: 50 });
        const details = plan(db, query.sql, query.params);
        expect(fullScans(details), `${JSON.stringify(filter)}: ${details.join('\n')}`).toEqual([]);
      }
    } finally {
      db.close();
    }
  });

  it('still answers a correlation chain with its root and the events it caused', async () => {
    const store = openSqliteStore(':memory:');
    try {
      const root = draft();
      const child = draft({ correlationId: root.id, causationId: root.id });
      const other = draft();
      const grandchild = draft({ correlationId: root.id, causationId: child.id });
      await store.append([root, other, child, grandchild]);
      expect(ids(await store.read({ correlationId: root.id }))).toEqual([root.id, child.id, grandchild.id]);
      expect(ids(await store.read({ correlationId: root.id, after: 1, limit: 1 }))).toEqual([child.id]);
    } finally {
      await store.close();
    }
  });
});
