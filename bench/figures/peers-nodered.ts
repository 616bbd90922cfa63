/**
 * Node-RED in the peer comparisons: its own command (`red.js`) on Node 22 in a child process, a fresh user directory
 * holding one of the flows of bench/peers/node-red, and bench/peers/node-red/settings.cjs (no editor, no admin API,
 * credentials unencrypted, logging of warnings and start-up lines only). Resolves once the flows have started.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited } from '../../server/testing/spawn-server.js';
import { NODE_22, NODE_RED, PEERS_DIR } from './peers-install.js';

export interface NodeRed {
  url: string;
  pid: number;
}

/** A port free at the moment of asking (Node-RED takes its port from the command line). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts Node-RED with `flowFile` (a file of bench/peers/node-red), runs `work`, then stops it whatever happens. */
export async function withNodeRed<T>(flowFile: string, work: (nodeRed: NodeRed) => Promise<T>): Promise<T> {
  const userDir = mkdtempSync(join(tmpdir(), 'causeway-bench-nodered-'));
  copyFileSync(join(PEERS_DIR, 'node-red', flowFile), join(userDir, 'flows.json'));
  const port = await freePort();
  const settings = join(PEERS_DIR, 'node-red', 'settings.cjs');
  const proc = spawn(NODE_22, [NODE_RED, '--settings', settings, '--userDir', userDir, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const seen = (d: Buffer) => {
        output += String(d);
        // The log line Node-RED writes once every node of the flows has started.
        if (/Started flows/.test(output)) resolve();
      };
      proc.stdout.on('data', seen);
      proc.stderr.on('data', seen);
      proc.on('exit', (code) => reject(new Error(`Node-RED exited with ${code}: ${output}`)));
    });
    return await work({ url: `http://127.0.0.1:${port}`, pid: proc.pid! });
  } finally {
    proc.kill('SIGTERM');
    await exited(proc);
    rmSync(userDir, { recursive: true, force: true });
  }
}
