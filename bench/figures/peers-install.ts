/**
 * The peers — the tools Causeway is compared with — live in bench/peers with their own package.json and lock file,
 * apart from the app's dependencies. `ensurePeers()` installs them with `npm ci` when they are missing or older
 * than the lock file; nothing else in the bench needs them, so a plain `npm run bench` works without the network.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const PEERS_DIR = join(import.meta.dirname, '..', 'peers');
const MODULES = join(PEERS_DIR, 'node_modules');

/**
 * Node 22, from the npm package `node` (its install script fetches the platform's binary, itself an npm package):
 * Node-RED 5 needs Node ≥ 22.9, and the app runs on Node 20.
 */
export const NODE_22 = join(MODULES, 'node', 'bin', 'node');
export const NODE_RED = join(MODULES, 'node-red', 'red.js');

/** Installs the peers unless bench/peers/node_modules already holds what the lock file names. */
export function ensurePeers(): void {
  // npm writes node_modules/.package-lock.json after every install it completes.
  const installed = join(MODULES, '.package-lock.json');
  const lock = join(PEERS_DIR, 'package-lock.json');
  if (existsSync(installed) && existsSync(NODE_22) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  console.error('installing the peers into bench/peers (npm ci) …');
  // Its output goes to standard error: standard output carries the report.
  execFileSync('npm', ['ci', '--prefix', PEERS_DIR, '--no-audit', '--no-fund'], { stdio: ['ignore', 2, 2] });
  const version = execFileSync(NODE_22, ['--version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith('v22.')) throw new Error(`bench/peers: expected Node 22 at ${NODE_22}, found ${version}`);
}
