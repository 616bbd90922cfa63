import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from './index.js';
import { checkWhole, StoreOpenError } from './preflight.js';
import { garbleMiddle, makeReadOnly, readOnlyPlace, storeWithEvents } from './testing/damage.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-preflight-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(dir, `store-${++files}.db`);

/** What opening `path` threw, or null. */
async function openingError(path: string): Promise<unknown> {
  try {
    await openSqliteStore(path).close();
    return null;
  } catch (error) {
    return error;
  }
}

describe('a damaged SQLite store', () => {
  it('is refused at open when pages in the middle of the file are garbage, with what to do', async () => {
    const path = freshFile();
    await storeWithEvents(path);
    garbleMiddle(path);
    const error = await openingError(path);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect(error).toMatchObject({ code: 'damaged_store', path });
    const message = (error as Error).message;
    expect(message).toContain(`the SQLite store ${path} is damaged (`);
    expect(message).toContain('restore it from a backup');
    expect(message).toContain(`sqlite3 ${path} .recover | sqlite3 recovered.db`);
  });

  it('is refused when the file is no SQLite database at all', async () => {
    const path = freshFile();
    writeFileSync(path, Buffer.alloc(16384, 0x5a));
    expect(await openingError(path)).toMatchObject({ code: 'damaged_store', message: expect.stringMatching(/SQLITE_NOTADB/) });
  });

  it('checks a store above the whole-check size by its small tables whole and its log at both ends', async () => {
    const path = freshFile();
    await storeWithEvents(path, 500);
    expect(() => checkWhole(path, 0)).not.toThrow();
    writeFileSync(path, Buffer.alloc(16384, 0x5a));
    expect(() => checkWhole(path, 0)).toThrow(StoreOpenError);
  });

  it('opens a whole store, and a new one', async () => {
    const path = freshFile();
    await storeWithEvents(path, 100);
    expect(await openingError(path)).toBeNull();
    expect(await openingError(freshFile())).toBeNull();
  });
});

describe('a read-only SQLite store', () => {
  it('is refused at open when the file is read-only in a writable directory', async (ctx) => {
    const path = freshFile();
    await storeWithEvents(path, 100);
    const readOnly = makeReadOnly(path);
    if (!readOnly) ctx.skip('a read-only file cannot be made here (root without chattr)');
    try {
      const error = await openingError(path);
      expect(error, readOnly!.how).toMatchObject({ code: 'read_only_store', path });
      expect((error as Error).message).toMatch(new RegExp(`the SQLite store ${path} cannot be written: the file is read-only \\((EACCES|EPERM)\\)`));
    } finally {
      readOnly!.release();
    }
  });

  const place = readOnlyPlace(dir);
  afterAll(() => place?.release());
  if (!place) console.warn('a read-only store cannot be made here (root without the right to mount): skipping its test');

  it.skipIf(!place)('is refused at open when its directory is read-only, naming it and what to do', async () => {
    const path = join(place!.dir, 'store.db');
    await storeWithEvents(path, 100);
    place!.freeze();
    const error = await openingError(path);
    expect(error, place!.how).toBeInstanceOf(StoreOpenError);
    expect(error).toMatchObject({ code: 'read_only_store', path });
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`the SQLite store ${path} cannot be written: its directory .+ is read-only \\((EROFS|EACCES)\\)`));
    expect(message).toContain('make the file and its directory writable by the user running Causeway');
  });
});
