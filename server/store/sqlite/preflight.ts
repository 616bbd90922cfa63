/**
 * What is checked before a SQLite file is opened for service, so that a store that cannot work is refused at start
 * with what to do, instead of starting and then failing request after request:
 * - writable: the file, its `-wal` and `-shm` files, and the directory SQLite creates them in (a read-only file
 *   started, then every publish failed);
 * - whole: `PRAGMA quick_check` (a file with garbage mid-file started, then failed reads while taking writes).
 *   quick_check reads every page. Measured on a 2-core VM with a shared disk: a 245 MB store (270,000 events) takes
 *   0.7 s with the file in the page cache and 3.5 s from a cold cache; a 1.4 GB one (1.5 million events) 6–7.5 s
 *   warm and 37–65 s cold (`integrity_check`, which also matches every index entry to its row, 80 s cold). So a
 *   store of up to FULL_CHECK_BYTES is checked whole; a larger one has every table but the event log and its clock
 *   index checked whole, and those two read at both ends of their b-trees (11 ms): a start stays within seconds,
 *   and damage deep in the log shows when it is read.
 */
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Stores up to this size (file and write-ahead log) are checked whole at start: under 1 s warm, about 4 s cold. */
export const FULL_CHECK_BYTES = 256 * 1024 * 1024;

/** The tables whose size grows with the log: in a larger store, read only at both ends. */
const LOG_TABLES: Record<string, string> = {
  events: 'position',
  clock_entries: 'namespace, peer, owner, counter, own',
};

export type StoreOpenErrorCode = 'read_only_store' | 'damaged_store';

/** A SQLite file Causeway will not start on; the message says what to do. */
export class StoreOpenError extends Error {
  constructor(
    readonly code: StoreOpenErrorCode,
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

/** Refuses a file that cannot be written or is damaged; a file that does not exist yet only needs its directory. */
export function preflight(path: string, fullCheckBytes = FULL_CHECK_BYTES): void {
  checkWritable(path);
  if (existsSync(path)) checkWhole(path, fullCheckBytes);
}

/** Each of the file, its `-wal` and `-shm` (where they exist) and its directory must be writable by this process. */
export function checkWritable(path: string): void {
  const file = resolve(path);
  const directory = dirname(file);
  const refuse = (what: string, error: unknown) => {
    const code = (error as { code?: string }).code ?? 'not writable';
    return new StoreOpenError(
      'read_only_store',
      `the SQLite store ${file} cannot be written: ${what} is read-only (${code}). Causeway writes every event it accepts ` +
        'there, and SQLite keeps its write-ahead log (the -wal and -shm files) beside the database: make the file and ' +
        'its directory writable by the user running Causeway, or point DATABASE_URL at a writable copy',
      file,
    );
  };
  try {
    accessSync(directory, constants.W_OK);
  } catch (error) {
    throw refuse(`its directory ${directory}`, error);
  }
  for (const candidate of [file, `${file}-wal`, `${file}-shm`]) {
    if (!existsSync(candidate)) continue;
    try {
      accessSync(candidate, constants.W_OK);
    } catch (error) {
      throw refuse(candidate === file ? 'the file' : candidate, error);
    }
  }
}

/** Refuses a damaged file: quick_check finds a problem, or SQLite finds it no database at all. */
export function checkWhole(path: string, fullCheckBytes = FULL_CHECK_BYTES): void {
  const file = resolve(path);
  let problems: string[];
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    problems = sizeOf(file) <= fullCheckBytes ? quickCheck(db) : partialCheck(db);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !/^SQLITE_(CORRUPT|NOTADB)/.test(code)) throw error;
    problems = [`${code}: ${(error as Error).message}`];
  } finally {
    db?.close();
  }
  if (problems.length === 0) return;
  const listed = problems.slice(0, 3).join('; ') + (problems.length > 3 ? `; and ${problems.length - 3} more` : '');
  throw new StoreOpenError(
    'damaged_store',
    `the SQLite store ${file} is damaged (${listed}): Causeway will not start on it. Stop anything else that writes ` +
      `it; then restore it from a backup, or recover what is readable with \`sqlite3 ${file} .recover | sqlite3 ` +
      `recovered.db\` and start with DATABASE_URL=sqlite:recovered.db`,
    file,
  );
}

const sizeOf = (file: string): number => statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);

/** quick_check's findings, at most 20; none when it says "ok". */
function quickCheck(db: Database.Database, table?: string): string[] {
  const rows = db.pragma(table === undefined ? 'quick_check(20)' : `quick_check(${JSON.stringify(table)})`) as { quick_check: string }[];
  return rows.map((row) => row.quick_check).filter((line) => line !== 'ok');
}

/** Every table but the log's checked whole; the log's tables read at both ends (their b-trees' outer paths). */
function partialCheck(db: Database.Database): string[] {
  const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[];
  const problems: string[] = [];
  for (const table of tables) {
    const order = Object.hasOwn(LOG_TABLES, table) ? LOG_TABLES[table] : undefined;
    if (order === undefined) problems.push(...quickCheck(db, table));
    else for (const direction of ['ASC', 'DESC']) db.prepare(`SELECT * FROM ${table} ORDER BY ${order.split(', ').map((c) => `${c} ${direction}`).join(', ')} LIMIT 1`).all();
  }
  return problems;
}
