/**
 * Causeway's servers in the peer comparisons: each in its own process (bench/peers/causeway-server.ts) on the store
 * URL asked for, with the HTTP bench's flow (http in → filter → transform) deployed unless told not to. Same Node
 * options as `npm start`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { exited } from '../../server/testing/spawn-server.js';
import { flow } from './http.js';
import { PEERS_DIR } from './peers-install.js';

export interface CausewayServer {
  url: string;
  pid: number;
  flowId: string;
}

/** Starts a server on `storeUrl`, runs `work` against it, and stops it (drained) whatever happens. */
export async function withCauseway<T>(storeUrl: string, work: (server: CausewayServer) => Promise<T>, options: { deploy: boolean }): Promise<T> {
  const proc = spawn(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', join(PEERS_DIR, 'causeway-server.ts'), storeUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      proc.stderr.on('data', (d) => (stderr += String(d)));
      proc.stdout.on('data', (d) => {
        stdout += String(d);
        const match = /ready (http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      proc.on('exit', (code) => reject(new Error(`the Causeway server on ${storeUrl} exited with ${code}: ${stderr}`)));
    });
    if (!options.deploy) return await work({ url, pid: proc.pid!, flowId: '' });
    const created = await fetch(`${url}/api/flows`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(flow) });
    const { id } = (await created.json()) as { id: string };
    const deployed = await fetch(`${url}/api/flows/${id}/deploy`, { method: 'POST' });
    if (deployed.status !== 200) throw new Error(`deploy failed: ${await deployed.text()}`);
    return await work({ url, pid: proc.pid!, flowId: id });
  } finally {
    proc.kill('SIGTERM');
    await exited(proc);
  }
}
