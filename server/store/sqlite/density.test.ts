import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { draft } from '../testing/fixtures.js';
import { appendDensityHistory, densityAnswers } from '../testing/density-history.js';
import { openSqliteStore } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-sqlite-density-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sqlite counts per second', () => {
  it('are counted for a database from before them as its appends counted them, and answer the same densities', async () => {
    const path = join(dir, 'migrated.db');
    const store = openSqliteStore(path);
    await appendDensityHistory(store);
    const before = await densityAnswers(store);
    expect(before.every((answer) => answer.total > 0)).toBe(true);
    await store.close();

    const rows = (db: Database.Database) => db.prepare('SELECT namespace, start, process, events FROM density_counts ORDER BY 1, 2, 3').all();
    const db = new Database(path);
    const version = db.pragma('user_version', { simple: true }) as number;
    const appended = rows(db);
    db.exec(`DROP TABLE density_counts; DROP INDEX events_by_time; PRAGMA user_version = ${version - 1}`);
    db.close();

    const reopened = openSqliteStore(path);
    try {
      expect(await densityAnswers(reopened)).toEqual(before);
    } finally {
      await reopened.close();
    }
    const migrated = new Database(path, { readonly: true });
    try {
      expect(migrated.pragma('user_version', { simple: true })).toBe(version);
      expect(rows(migrated)).toEqual(appended);
    } finally {
      migrated.close();
    }
  });

  it('lets the event loop turn while it reads the counts of many seconds', async () => {
    const store = openSqliteStore(':memory:');
    try {
      const base = Date.UTC(2026, 0, 1);
      for (let at = 0; at < 25_000; at += 5_000) {
        await store.append(Array.from({ length: 5_000 }, (_, i) => draft({ process: 'p', time: new Date(base + (at + i) * 1000).toISOString(), vectorClock: { p: at + i + 1 } })));
      }
      let turns = 0;
      let counting = true;
      const tick = () => {
        if (!counting) return;
        turns += 1;
        setImmediate(tick);
      };
      setImmediate(tick);
      const answer = await store.density({ buckets: 400 });
      counting = false;
      expect(answer.total).toBe(25_000);
      expect(turns).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});
