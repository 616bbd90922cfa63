/**
 * Open-file limits for tests with thousands of sockets. A process may raise its own soft limit up to the hard one,
 * but Node cannot: `withFileLimit` runs a program through a shell that raises it, then `exec`s the program (same
 * process id, same standard streams and IPC channel).
 */
import { execFileSync } from 'node:child_process';

/** The hard limit on open files of processes started from this one (Infinity when unlimited). */
export function hardFileLimit(): number {
  const text = execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
  return text === 'unlimited' ? Infinity : Number(text);
}

/** The command and arguments that run `command args…` with its soft limit on open files raised to `limit`. */
export function withFileLimit(limit: number, command: string, args: string[]): [string, string[]] {
  return ['sh', ['-c', `ulimit -n ${Math.floor(limit)} && exec "$0" "$@"`, command, ...args]];
}
