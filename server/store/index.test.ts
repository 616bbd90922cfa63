import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { draft } from './testing/fixtures.js';
import { openStore, sqlitePath, storeKind, StoreUrlError } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-open-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('choosing a store by URL', () => {
  it('names the adapter of each supported URL', () => {
    expect(storeKind('sqlite:./data/causeway.db')).toBe('sqlite');
    expect(storeKind('sqlite::memory:')).toBe('sqlite');
    expect(storeKind('memory:')).toBe('memory');
    expect(storeKind('postgres://u@db:5432/causeway')).toBe('postgres');
    expect(storeKind('postgresql://u@db/causeway')).toBe('postgres');
  });

  it('refuses an unsupported URL with a typed error', () => {
    for (const url of ['mysql://db', 'sqlite:', '', './causeway.db']) {
      expect(() => storeKind(url)).toThrow(StoreUrlError);
    }
    expect(new StoreUrlError('x').code).toBe('invalid_store_url');
  });

  it('reads the path of a sqlite URL, relative or absolute', () => {
    expect(sqlitePath('sqlite:./data/causeway.db')).toBe('./data/causeway.db');
    expect(sqlitePath('sqlite:///var/lib/causeway.db')).toBe('/var/lib/causeway.db');
    expect(sqlitePath('sqlite::memory:')).toBe(':memory:');
  });
});

describe('opening a store', () => {
  it('opens a SQLite file store, creating its parent directories', async () => {
    const path = join(dir, 'nested', 'deeper', 'causeway.db');
    const store = await openStore(`sqlite:${path}`);
    try {
      expect(store.kind).toBe('sqlite');
      await store.append([draft()]);
      expect(existsSync(path)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('opens an in-memory SQLite store and a memory store', async () => {
    for (const [url, kind] of [
      ['sqlite::memory:', 'sqlite'],
      ['memory:', 'memory'],
    ] as const) {
      const store = await openStore(url);
      try {
        expect(store.kind).toBe(kind);
        const [result] = await store.append([draft()]);
        expect(result!.event.position).toBe(1);
      } finally {
        await store.close();
      }
    }
  });

  it('rejects an unsupported URL', async () => {
    await expect(openStore('mongodb://db')).rejects.toBeInstanceOf(StoreUrlError);
  });

  it('loads the PostgreSQL adapter only when a postgres URL is opened', () => {
    // In a process of its own, so that no other test has loaded pg before.
    const script = `
      import { createRequire } from 'node:module';
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('/node_modules/pg/'));
      const { openStore } = await import('./server/store/index.ts');
      const before = loaded();
      const refused = await openStore('postgres://127.0.0.1:1/nothing-listens-here').then(() => 'opened', (error) => error.code);
      console.log(JSON.stringify({ before, refused, after: loaded() }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '..', '..'), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ before: false, refused: 'ECONNREFUSED', after: true });
  });
});
