/**
 * An import that fails while it is stored leaves nothing behind: against a SQLite file capped with `max_page_count`
 * (past which SQLite fails a write exactly as on a full disk), a log split into two executions fills the store half
 * way through; the answer is the 507 `storage_full` every write gets, the import is not listed, and no event of it
 * is left in any namespace.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { silentLogger } from '../../logger.js';
import { Engine } from '../../runtime/engine.js';
import { resolveConfig } from '../../start.js';
import { openSqliteStore } from '../../store/index.js';
import { createApp } from '../app.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-import-full-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two executions of `perExecution` events each, two hosts messaging each other, each line padded. */
function twoRuns(perExecution: number): string {
  const lines: string[] = [];
  for (const run of ['first', 'second']) {
    lines.push(`=== ${run} ===`);
    for (let i = 1; i <= perExecution; i++) {
      const [host, other] = i % 2 ? ['a', 'b'] : ['b', 'a'];
      lines.push(`${host} {"${host}":${Math.ceil(i / 2)}, "${other}":${Math.floor(i / 2)}}`, `step ${i} ${'x'.repeat(120)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

it('drops what a failed import stored: not listed, and none of its events left', { timeout: 60_000 }, async () => {
  const path = join(dir, 'full.db');
  await openSqliteStore(path).close();
  const pages = new Database(path).pragma('page_count', { simple: true }) as number;
  const store = openSqliteStore(path, { pragmas: [`max_page_count = ${pages + 400}`] });
  const engine = new Engine({ store });
  const config = resolveConfig({ env: {}, config: { store: { url: `sqlite:${path}` } } });
  const app = createApp({ engine, store, config, metrics: null, logger: silentLogger() });
  try {
    const res = await app.request(`/api/imports/shiviz?name=big.log&delimiter=${encodeURIComponent('^=== (?<trace>.*) ===$')}`, {
      method: 'POST',
      body: twoRuns(6000),
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(507);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('storage_full');
    const listed = (await (await app.request('/api/imports')).json()) as { imports: unknown[] };
    expect(listed.imports).toEqual([]);
    const db = new Database(path, { readonly: true });
    try {
      const left = db.prepare(`SELECT namespace, count(*) AS n FROM events WHERE namespace LIKE 'import:%' GROUP BY namespace`).all();
      expect(left).toEqual([]);
    } finally {
      db.close();
    }
  } finally {
    await engine.close();
    await store.close();
  }
});
