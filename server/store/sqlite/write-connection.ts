/**
 * The connection that writes the event log, checkpoints and snapshots. For a database file it is a worker thread's
 * own connection: an append's inserts and commit — most of what an append costs — run beside the event loop, which
 * meanwhile reads requests and plans the next group. An in-memory database belongs to one connection, so there the
 * store's own connection writes, in the same turn. Both run the same writes (write-ops.cjs); every call settles once
 * its transaction has committed or rolled back, in the order the calls were made.
 */
import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Renumber } from '../plan.js';
import { storageFull } from '../storage-full.js';

/** 'stale': another connection appended since the group was planned; 'stored-id': one of its ids is stored. */
export type GroupOutcome = 'ok' | 'stale' | 'stored-id';

/** One group commit's rows, as positional parameters of the writer's statements. */
export interface GroupWrite {
  /** The head the group was planned on: the group is written only if the store's head is still this. */
  head: number;
  rows: unknown[][];
  clockEntries: unknown[][];
  counts: [namespace: string, count: number][];
  /** Events added per namespace, second and process (../density.ts). */
  density: [namespace: string, start: number, process: string, events: number][];
  renumber: Renumber[];
}

/** SQL the writes need, prepared by the writing connection. */
export interface WriteSql {
  head: string;
  insertEvent: string;
  insertClockEntry: string;
  countEvents: string;
  countDensity: string;
  renumber: string;
}

export type Statement = [sql: string, params: unknown[]];

export interface WriteConnection {
  appendGroup(group: GroupWrite): Promise<GroupOutcome>;
  /** Runs the statements in one transaction; resolves with the rows each changed. */
  run(statements: Statement[]): Promise<number[]>;
  close(): Promise<void>;
}

interface Writes {
  appendGroup(group: GroupWrite): GroupOutcome;
  run(statements: Statement[]): number[];
}

const require = createRequire(import.meta.url);
const WRITE_OPS = require.resolve('./write-ops.cjs');
const openWrites = (require(WRITE_OPS) as { openWrites: (db: Database.Database, sql: WriteSql) => Writes }).openWrites;

/** The writing connection for `db`: its own thread for a file, `db` itself in memory. */
export function openWriteConnection(db: Database.Database, sql: WriteSql, pragmas: string[]): WriteConnection {
  return db.memory ? new SameConnection(openWrites(db, sql)) : new WriterThread(db.name, sql, pragmas);
}

/** SQLite's error as the store's: a full disk or database (`max_page_count`) is a StoreError `storage_full`. */
function storeErrorOf(error: unknown): unknown {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'SQLITE_FULL' ? storageFull(`SQLITE_FULL: ${String(message)}`) : error;
}

class SameConnection implements WriteConnection {
  constructor(private readonly writes: Writes) {}

  async appendGroup(group: GroupWrite): Promise<GroupOutcome> {
    try {
      return this.writes.appendGroup(group);
    } catch (error) {
      throw storeErrorOf(error);
    }
  }

  async run(statements: Statement[]): Promise<number[]> {
    try {
      return this.writes.run(statements);
    } catch (error) {
      throw storeErrorOf(error);
    }
  }

  async close(): Promise<void> {}
}

// CommonJS run by the worker thread: no loader is needed to start it (tsx, vitest or plain node alike).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
for (const pragma of workerData.pragmas) db.pragma(pragma);
const writes = require(workerData.writeOps).openWrites(db, workerData.sql);
parentPort.on('message', ({ id, op, arg }) => {
  if (op === 'close') {
    db.close();
    parentPort.postMessage({ id, value: null });
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({ id, value: writes[op](arg) });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: String(error && error.message || error), code: error && error.code } });
  }
});
`;

interface Reply {
  id: number;
  value?: unknown;
  error?: { message: string; code?: string };
}

/** An error from the writer thread, with SQLite's code (`SQLITE_FULL`, …) when it had one. */
export class WriteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'WriteError';
  }
}

class WriterThread implements WriteConnection {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private readonly waiting = new Map<number, { resolve: (value: never) => void; reject: (error: unknown) => void }>();
  private nextId = 0;
  /** Why calls are refused: the thread failed, or was closed. */
  private unavailable: Error | null = null;

  constructor(path: string, sql: WriteSql, pragmas: string[]) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { driver: require.resolve('better-sqlite3'), writeOps: WRITE_OPS, path, pragmas, sql } });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.once('exit', (code) => this.fail(new Error(`the writer thread exited (code ${code})`)));
    // Held only while a call waits on it: an idle store keeps no process alive.
    this.worker.unref();
  }

  appendGroup(group: GroupWrite): Promise<GroupOutcome> {
    return this.call('appendGroup', group);
  }

  run(statements: Statement[]): Promise<number[]> {
    return this.call('run', statements);
  }

  async close(): Promise<void> {
    if (!this.unavailable) {
      const closing = this.call('close', null);
      this.unavailable = new Error('the writer thread is closed');
      await closing;
    }
    // Held until the thread has exited: unreferenced, the process could end first, its connection unclosed.
    this.worker.ref();
    await this.exited;
  }

  private call<T>(op: string, arg: unknown): Promise<T> {
    if (this.unavailable) return Promise.reject(this.unavailable);
    const id = this.nextId++;
    if (this.waiting.size === 0) this.worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: never) => void, reject });
      this.worker.postMessage({ id, op, arg });
    });
  }

  private settle(reply: Reply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker.unref();
    if (reply.error) waiting.reject(storeErrorOf(new WriteError(reply.error.message, reply.error.code)));
    else waiting.resolve(reply.value as never);
  }

  private fail(error: Error): void {
    this.unavailable ??= error;
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
  }
}
