import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventDraft } from '../../../shared/event.js';
import { CHECKPOINT_INTERVAL_MS } from './checkpointer.js';
import { openSqliteStore } from './index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const draft = (i: number): EventDraft => ({
  id: `e${i}`,
  type: 'reading',
  source: 'test',
  time: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
  subject: null,
  datacontenttype: 'application/json',
  data: { t: i, pad: 'x'.repeat(200) },
  stream: `s${i % 8}`,
  process: 'p',
  vectorClock: { p: i + 1 },
  correlationId: `e${i}`,
  causationId: null,
  flowId: null,
  nodeId: null,
  revision: null,
  metadata: {},
});

const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return check();
}

describe('SQLite checkpoints', () => {
  it('copies committed pages into the database file while the store stays open, off the committing thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'causeway-checkpoint-'));
    dirs.push(dir);
    const path = join(dir, 'db');
    const store = openSqliteStore(path);
    try {
      const before = size(path);
      for (let i = 0; i < 4000; i += 200) await store.append(Array.from({ length: 200 }, (_, k) => draft(i + k)));
      expect(size(`${path}-wal`)).toBeGreaterThan(1_000_000);
      // The committing connection checkpoints only past FALLBACK_CHECKPOINT_PAGES: the file grows by the worker alone.
      expect(await until(() => size(path) > before + 1_000_000, CHECKPOINT_INTERVAL_MS * 10)).toBe(true);
      expect((await store.read({ limit: 10_000 })).length).toBe(4000);
    } finally {
      await store.close();
    }
  });

  it('closes the worker\'s connection before its own, so closing leaves no WAL behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'causeway-checkpoint-'));
    dirs.push(dir);
    const path = join(dir, 'db');
    const store = openSqliteStore(path);
    await store.append([draft(1)]);
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    const reopened = openSqliteStore(path);
    expect((await reopened.get('e1'))?.data).toEqual({ t: 1, pad: 'x'.repeat(200) });
    await reopened.close();
  });

  it('lets a process with nothing else to do finish closing the store: the workers hold it open until they exit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'causeway-checkpoint-'));
    dirs.push(dir);
    const script = `
      const { openSqliteStore } = await import(${JSON.stringify(join(import.meta.dirname, 'index.ts'))});
      const store = openSqliteStore(${JSON.stringify(join(dir, 'db'))});
      const appended = store.append([{ id: 'e1', type: 't', source: 's', time: new Date().toISOString(), stream: 's',
        process: 'p', vectorClock: { p: 1 }, correlationId: 'e1', data: null, metadata: {} }]);
      await store.close();
      console.log('closed', (await appended).length);`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(out.trim()).toBe('closed 1');
  });
});
