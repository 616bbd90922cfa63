/**
 * A store with no room left: a publish answers 507 with the error body every error has, and every event acknowledged
 * before is still there. The SQLite file is capped with `max_page_count`, past which SQLite fails a write with
 * SQLITE_FULL exactly as on a full disk.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import { Engine } from '../runtime/engine.js';
import { resolveConfig } from '../start.js';
import { openSqliteStore } from '../store/index.js';
import { createApp } from './app.js';
import { CE_BATCH, cloudEvent } from './testing/bodies.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-full-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('answers 507 storage_full once the store is full, and keeps every event it acknowledged', { timeout: 60_000 }, async () => {
  const path = join(dir, 'full.db');
  await openSqliteStore(path).close();
  const pages = new Database(path).pragma('page_count', { simple: true }) as number;
  const store = openSqliteStore(path, { pragmas: [`max_page_count = ${pages + 60}`] });
  const engine = new Engine({ store });
  const config = resolveConfig({ env: {}, config: { store: { url: `sqlite:${path}` } } });
  const app = createApp({ engine, store, config, metrics: createMetrics({ defaultMetrics: false }), logger: silentLogger() });
  const publish = (events: unknown[]) => app.request('/api/events', { method: 'POST', headers: CE_BATCH, body: JSON.stringify(events) });
  try {
    const acknowledged: string[] = [];
    let refused: Response | null = null;
    for (let round = 0; round < 1000 && refused === null; round++) {
      const batch = Array.from({ length: 25 }, () => cloudEvent({ data: { pad: 'x'.repeat(300) } }));
      const res = await publish(batch);
      if (res.status === 202) acknowledged.push(...batch.map((e) => e.id));
      else refused = res;
    }
    expect(refused?.status).toBe(507);
    const body = (await refused!.json()) as { error: { code: string; message: string; details: unknown[] } };
    expect(body.error.code).toBe('storage_full');
    expect(body.error.message).toMatch(/^the event store has no room left \(SQLITE_FULL: .+\): nothing of this write was stored; free disk space/);
    expect(body.error.details).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(0);
    const stored = await store.read({ limit: 10_000 });
    expect(stored.map((e) => e.id)).toEqual(acknowledged);
    for (const id of [acknowledged[0]!, acknowledged[acknowledged.length - 1]!]) {
      expect((await app.request(`/api/events/${id}`)).status).toBe(200);
    }
  } finally {
    await engine.close();
    await store.close();
  }
});
