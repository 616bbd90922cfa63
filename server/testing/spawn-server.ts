/**
 * Starts `server-child.ts` — a Causeway server in its own process on a SQLite file or a store URL — and resolves with its URL once
 * it listens (tests that kill and restart a server, the HTTP bench). A child that exits first rejects with its
 * standard error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ConfigOverrides } from '../start.js';
import { withFileLimit } from './file-limit.js';

const CHILD_SCRIPT = join(import.meta.dirname, 'server-child.ts');

export interface ServerChild {
  proc: ChildProcess;
  url: string;
}

/**
 * The process at once (so a caller can always kill it), and its URL once it listens. `config`: overrides applied as
 * `startCauseway` applies them (`{http: {maxConnections: 5}}`); `fileLimit`: the open files it may have, when more
 * than this process may (see `file-limit.ts`).
 */
export function spawnServer(dbPath: string, config?: ConfigOverrides, options: { fileLimit?: number } = {}): { proc: ChildProcess; ready: Promise<ServerChild> } {
  // The young-generation size `npm start` gives the server too (package.json).
  const args = ['--max-semi-space-size=32', '--import', 'tsx', CHILD_SCRIPT, dbPath, ...(config ? [JSON.stringify(config)] : [])];
  const [command, commandArgs] = options.fileLimit === undefined ? [process.execPath, args] : withFileLimit(options.fileLimit, process.execPath, args);
  const proc = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  proc.stderr!.on('data', (d) => (stderr += String(d)));
  const ready = new Promise<ServerChild>((resolve, reject) => {
    proc.stdout!.on('data', (d) => {
      stdout += String(d);
      const match = /ready (http:\/\/\S+)/.exec(stdout);
      if (match) resolve({ proc, url: match[1]! });
    });
    proc.on('exit', (code) => reject(new Error(`the server exited with ${code}: ${stderr}`)));
  });
  return { proc, ready };
}

/** Resolves once the process has exited (at once if it already has). */
export const exited = (proc: ChildProcess): Promise<void> =>
  new Promise((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve())));
