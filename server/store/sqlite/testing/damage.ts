/**
 * Real damage for the start-up checks' tests: a SQLite store with data whose middle pages are overwritten with garbage,
 * a read-only file and a read-only directory. Root writes whatever a file's mode says, so as root a file is made
 * immutable (`chattr +i`) and a directory a tmpfs mounted read-only; otherwise their modes say read-only.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStore } from '../index.js';
import { draft, drafts } from '../../testing/fixtures.js';

/** A store file with `events` events in it, closed (its write-ahead log checkpointed into the file). */
export async function storeWithEvents(path: string, events = 2000): Promise<void> {
  const store = openSqliteStore(path);
  for (let i = 0; i < events; i += 500) await store.append(drafts(Math.min(500, events - i), () => ({ data: { pad: 'x'.repeat(500) } })));
  await store.flows.create({ id: 'f-1', name: 'kept', description: '', nodes: [], edges: [] });
  await store.append([draft()]);
  await store.close();
}

/** Overwrites `pages` pages from the middle of the file with random bytes, as a failing disk or a stray write would. */
export function garbleMiddle(path: string, pages = 8): void {
  const pageSize = 4096;
  const size = statSync(path).size;
  const from = Math.floor(size / pageSize / 2) * pageSize;
  const garbage = Buffer.alloc(pages * pageSize);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 251;
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, garbage, 0, garbage.length, from);
  } finally {
    closeSync(fd);
  }
}

/** Makes an existing file read-only for this process; answers how, and how to undo it, or null when it cannot. */
export function makeReadOnly(path: string): { how: string; release(): void } | null {
  if (process.getuid?.() !== 0) {
    chmodSync(path, 0o444);
    return { how: 'mode 0444', release: () => chmodSync(path, 0o644) };
  }
  try {
    execFileSync('chattr', ['+i', path], { stdio: 'ignore' });
  } catch {
    return null;
  }
  return { how: 'chattr +i (the tests run as root)', release: () => execFileSync('chattr', ['-i', path], { stdio: 'ignore' }) };
}

export interface ReadOnlyPlace {
  /** A directory to create the store in, then made read-only by `freeze`. */
  dir: string;
  /** Makes the directory and what it holds read-only. */
  freeze(): void;
  /** Undoes what was set up. */
  release(): void;
  how: string;
}

/**
 * A directory that can be made truly read-only for this process, or null when this machine cannot give one (root
 * without the right to mount). Root writes whatever a file's mode says, so for root it is a tmpfs mounted read-only.
 */
export function readOnlyPlace(parent: string): ReadOnlyPlace | null {
  const dir = join(parent, `ro-${process.pid}-${Date.now()}`);
  mkdirSync(dir);
  if (process.getuid?.() !== 0) {
    return {
      dir,
      how: 'mode 0444 files in a mode 0555 directory',
      freeze: () => {
        for (const name of ['store.db', 'store.db-wal', 'store.db-shm']) {
          try {
            chmodSync(join(dir, name), 0o444);
          } catch {
            // absent
          }
        }
        chmodSync(dir, 0o555);
      },
      release: () => chmodSync(dir, 0o755),
    };
  }
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
  return {
    dir,
    how: 'a tmpfs remounted read-only (the tests run as root)',
    freeze: () => execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'ignore' }),
    release: () => execFileSync('umount', [dir], { stdio: 'ignore' }),
  };
}
