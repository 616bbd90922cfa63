/**
 * Starting and stopping Causeway: the demo on first start only, flows resumed after a restart, a running replay
 * saved as interrupted on the way down, the refusal to listen on the network without tokens, the command line's
 * exit status on a bad configuration, and the page shown when the web app is not built.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_FLOW_ID } from '../demo.js';
import { createLogger, silentLogger } from '../logger.js';
import { startCauseway } from '../start.js';
import { INTERRUPTED } from '../replay/records.js';
import { openSqliteStore, StoreOpenError } from '../store/index.js';
import { garbleMiddle, makeReadOnly, storeWithEvents } from '../store/sqlite/testing/damage.js';
import { CE_BATCH, cloudEvent, pipelineFlow } from './testing/bodies.js';
import { client, waitFor } from './testing/client.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = (db: string, demo: boolean) =>
  startCauseway({
    config: { port: 0, store: { url: `sqlite:${join(dir, db)}` }, webDist: join(dir, 'no-web') },
    env: {},
    demo,
    buildWeb: false,
    logger: silentLogger(),
  });

/** Runs the command line; one still running after `killAfterMs` (it started when it should not have) is killed. */
function runMain(args: string[], env: Record<string, string> = {}, killAfterMs = 20_000): Promise<{ code: number | null; stderr: string }> {
  const main = join(import.meta.dirname, '..', 'main.ts');
  const proc = spawn(process.execPath, ['--import', 'tsx', main, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, cwd: join(import.meta.dirname, '..', '..') });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += String(d)));
  const timer = setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) =>
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

describe('starting Causeway', () => {
  it('creates and deploys the demo on the first start only, and resumes it after a restart', { timeout: 30_000 }, async () => {
    const first = await start('demo.db', true);
    const flows = (await client(first.url).get('/api/flows')).json.flows;
    expect(flows).toEqual([expect.objectContaining({ id: DEMO_FLOW_ID, revision: 1, deployedRevision: 1, status: 'running' })]);
    await first.close();

    const second = await start('demo.db', true);
    const api = client(second.url);
    expect((await api.get('/api/flows')).json.flows).toEqual([expect.objectContaining({ id: DEMO_FLOW_ID, revision: 1, status: 'running' })]);
    expect((await api.get(`/api/flows/${DEMO_FLOW_ID}/revisions`)).json.revisions).toHaveLength(1);
    expect((await api.del(`/api/flows/${DEMO_FLOW_ID}`)).status).toBe(204);
    await second.close();

    const third = await start('demo.db', true);
    expect((await client(third.url).get('/api/flows')).json.flows).toEqual([]);
    await third.close();
  });

  it('ends open live streams and closes when stopped', async () => {
    const server = await start('close.db', false);
    const res = await fetch(`${server.url}/api/events/live?after=0`, { headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    await server.close();
    let ended = false;
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const }));
      if (chunk.done) {
        ended = true;
        break;
      }
    }
    expect(ended).toBe(true);
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
  });

  it('saves a replay it was running as interrupted before it closes the store', { timeout: 30_000 }, async () => {
    const server = await start('replay-stop.db', false);
    const api = client(server.url);
    const flow = pipelineFlow('stop');
    const flowId = (await api.post('/api/flows', flow)).json.id as string;
    expect((await api.post(`/api/flows/${flowId}/deploy`)).status).toBe(200);
    // Readings an hour apart, replayed at their own pace: the replay is still running when the server stops.
    const t0 = Date.now() - 10 * 3_600_000;
    const paced = [0, 1, 2].map((h) => cloudEvent({ type: 'reading.paced', time: new Date(t0 + h * 3_600_000).toISOString(), data: { t: 20 } }));
    expect((await api.post('/api/events', paced, CE_BATCH)).status).toBe(202);
    const id = (await api.post('/api/replays', { flowId, from: new Date(t0).toISOString(), mode: 'dry-run', speed: 1 })).json.id as string;
    await waitFor(async () => (await api.get(`/api/replays/${id}`)).json.processed >= 1, 10_000);
    await server.close();

    const store = openSqliteStore(join(dir, 'replay-stop.db'));
    try {
      expect(await store.replays.get(id)).toMatchObject({ state: 'failed', error: INTERRUPTED });
    } finally {
      await store.close();
    }
  });

  it('writes each log line with each key once (the process too)', async () => {
    const lines: string[] = [];
    const destination = { write: (line: string) => void lines.push(line) };
    const server = await startCauseway({
      config: { port: 0, store: { url: `sqlite:${join(dir, 'log.db')}` }, webDist: join(dir, 'no-web') },
      env: {},
      demo: false,
      buildWeb: false,
      logger: createLogger({ process: 'edge-1', destination }),
    });
    await server.close();
    const listening = lines.find((line) => line.includes('"msg":"listening"'));
    expect(listening).toBeDefined();
    for (const line of lines) {
      const keys = [...line.matchAll(/"([^"]+)":/g)].map((m) => m[1]);
      expect(keys.length, line).toBe(new Set(keys).size);
      expect(JSON.parse(line).process).toBe('edge-1');
    }
  });

  it('starts without the demo when asked', async () => {
    const server = await start('no-demo.db', false);
    expect((await client(server.url).get('/api/flows')).json.flows).toEqual([]);
    await server.close();
  });

  it('refuses to listen on a non-loopback address without tokens', async () => {
    await expect(startCauseway({ config: { host: '0.0.0.0', port: 0, store: { url: 'sqlite::memory:' } }, env: {}, demo: false, buildWeb: false, logger: silentLogger() })).rejects.toMatchObject({ name: 'ConfigError', code: 'unsafe_binding' });
  });

  it('says the web app is not built when there is no build', async () => {
    const server = await start('web.db', false);
    const res = await fetch(`${server.url}/flows/anything`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('not built');
    await server.close();
  });

  it('refuses to start on a SQLite file with garbage mid-file, and the command line says what to do', { timeout: 30_000 }, async () => {
    const path = join(dir, 'damaged.db');
    await storeWithEvents(path);
    garbleMiddle(path);
    const refused = await start('damaged.db', false).then(
      async (started) => void (await started.close()),
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(StoreOpenError);
    expect(refused).toMatchObject({ code: 'damaged_store' });
    const cli = await runMain(['--no-demo'], { DATABASE_URL: `sqlite:${path}`, PORT: '0' });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`causeway: could not start: the SQLite store ${path} is damaged (`);
    expect(cli.stderr).toContain('restore it from a backup, or recover what is readable with `sqlite3');
  });

  it('refuses to start on a read-only SQLite file, naming it and what to do', { timeout: 30_000 }, async (ctx) => {
    const path = join(dir, 'read-only.db');
    await storeWithEvents(path, 100);
    const readOnly = makeReadOnly(path);
    if (!readOnly) ctx.skip('a read-only file cannot be made here (root without chattr)');
    try {
      const cli = await runMain(['--no-demo'], { DATABASE_URL: `sqlite:${path}`, PORT: '0' });
      expect(cli.code, readOnly!.how).toBe(1);
      expect(cli.stderr).toMatch(new RegExp(`causeway: could not start: the SQLite store ${path} cannot be written: the file is read-only \\((EACCES|EPERM)\\)`));
      expect(cli.stderr).toContain('point DATABASE_URL at a writable copy');
    } finally {
      readOnly!.release();
    }
  });

  it('exits with status 1 and names the key when the configuration is bad', { timeout: 30_000 }, async () => {
    const badPort = await runMain(['--port', 'eighty']);
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toContain('--port');
    const badEnv = await runMain(['--no-demo'], { DATABASE_URL: 'mysql://nope', PORT: '0' });
    expect(badEnv.code).toBe(1);
    expect(badEnv.stderr).toContain('DATABASE_URL');
    const exposed = await runMain(['--no-demo', '--host', '0.0.0.0'], { CAUSEWAY_TOKENS: '', PORT: '0' });
    expect(exposed.code).toBe(1);
    expect(exposed.stderr).toContain('refusing to listen on 0.0.0.0');
  });
});
