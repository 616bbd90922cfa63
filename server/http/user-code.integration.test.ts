/**
 * Hostile user code against a real server process (SQLite file): a recursive JSONata filter, a heap bomb, a
 * catastrophic regex, a split/join loop and a memory bomb in a 50 ms, 16 MB function. Each such input becomes a
 * dead letter with its reason, the inputs around it flow on, `/api/health` answers fast throughout, and after a
 * SIGKILL the server comes back healthy and never meets those inputs again.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CE, cloudEvent } from './testing/bodies.js';
import { client, waitFor } from './testing/client.js';
import { exited, spawnServer, type ServerChild } from '../testing/spawn-server.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-user-code-'));
const dbPath = join(dir, 'hostile.db');
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(children.map(exited));
  rmSync(dir, { recursive: true, force: true });
});

function startServer(): Promise<ServerChild> {
  const { proc, ready } = spawnServer(dbPath);
  children.push(proc);
  return ready;
}

const FILTER = `data.kind = 'recursion' ? ($f := function($n){ $f($n + 1) }; $f(0))
  : data.kind = 'heap' ? $count([1..1e7].([1..1e7])) > 0
  : data.kind = 'regex' ? $contains(data.s, /^(a+)+$/)
  : data.t > 8`;

const FUNCTION = `if (event.data.kind === 'loop') { let s = 'ab'.repeat(200000); for (;;) s = s.split('').join(''); }
if (event.data.kind === 'alloc') { const a = []; for (;;) a.push(new Array(100000).fill(1.5)); }
return { type: 'checked', data: event.data };`;

const hostileFlow = {
  name: 'hostile',
  nodes: [
    { id: 'in', type: 'http', config: { types: ['reading.*'] } },
    { id: 'warm', type: 'filter', config: { expression: FILTER } },
    { id: 'conv', type: 'transform', config: { expression: "{'celsius': data.t}", type: 'reading.converted' } },
    { id: 'code', type: 'function', config: { code: FUNCTION, timeoutMs: 50, memoryMb: 16 } },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'warm' },
    { id: 'e2', source: 'warm', target: 'conv' },
    { id: 'e3', source: 'in', target: 'code' },
  ],
};

interface Stored {
  id: string;
  stream: string;
  nodeId: string | null;
  causationId: string | null;
  data: { error?: { code: string } };
}

/** Polls `/api/health` every 20 ms until stopped; how long each answer took. */
function watchHealth(url: string): { stop(): Promise<number[]> } {
  let running = true;
  const answers: number[] = [];
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const res = await fetch(`${url}/api/health`);
      await res.text();
      if (res.status !== 200) throw new Error(`health answered ${res.status}`);
      answers.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return answers.sort((a, b) => a - b);
    },
  };
}

describe('hostile user code against a running server', () => {
  it('dead-letters each hostile input with its reason while health answers within 100 ms, and a restart is healthy', { timeout: 180_000 }, async () => {
    const first = await startServer();
    const api = client(first.url);
    const created = await api.post('/api/flows', hostileFlow);
    expect(created.status).toBe(201);
    const flowId = (created.json as { id: string }).id;
    expect((await api.post(`/api/flows/${flowId}/deploy`)).status).toBe(200);
    // The user-code threads start with the flow: let them load before the clock starts.
    await new Promise((r) => setTimeout(r, 2000));

    const hostile = {
      recursion: cloudEvent({ id: 'recursion', data: { kind: 'recursion', t: 9 } }),
      heap: cloudEvent({ id: 'heap', data: { kind: 'heap', t: 9 } }),
      regex: cloudEvent({ id: 'regex', data: { kind: 'regex', s: `${'a'.repeat(40)}!`, t: 9 } }),
      loop: cloudEvent({ id: 'loop', data: { kind: 'loop', t: 1 } }),
      alloc: cloudEvent({ id: 'alloc', data: { kind: 'alloc', t: 1 } }),
    };
    const good = Array.from({ length: 10 }, (_, i) => cloudEvent({ id: `good-${i}`, data: { t: 9 + i } }));

    const health = watchHealth(first.url);
    for (const event of [...Object.values(hostile), ...good]) expect((await api.post('/api/events', event, CE)).status).toBe(202);
    const events = await waitFor(async () => {
      const page = await api.get(`/api/events?flowId=${flowId}&limit=1000`);
      const stored = page.json.events as Stored[];
      const converted = stored.filter((e) => e.nodeId === 'conv').length;
      const checked = stored.filter((e) => e.nodeId === 'code' && e.stream !== '$deadletter').length;
      return converted === good.length && checked === good.length + 3 && stored.filter((e) => e.stream === '$deadletter').length === 5 && stored;
    }, 120_000);
    // Before, the first of these inputs stopped the event loop for good. A loaded 2-core machine alone delays an
    // answer now and then by more than 100 ms, so nine in ten must be under it and none near a second.
    const answers = await health.stop();
    expect(answers.length).toBeGreaterThan(20);
    expect(answers[Math.floor(answers.length * 0.9)]).toBeLessThan(100);
    expect(answers.at(-1)).toBeLessThan(1000);

    const letters = new Map(events.filter((e) => e.stream === '$deadletter').map((e) => [`${e.nodeId}:${e.causationId}`, e.data.error!.code]));
    expect(letters.get('warm:recursion')).toMatch(/^(too_deep|timeout)$/);
    expect(letters.get('warm:heap')).toMatch(/^(memory|timeout)$/);
    expect(letters.get('warm:regex')).toBe('timeout');
    expect(letters.get('code:loop')).toBe('timeout');
    expect(letters.get('code:alloc')).toMatch(/^(memory|timeout)$/);

    // Killed and started again: healthy, running, and the hostile inputs are behind its checkpoint.
    await new Promise((r) => setTimeout(r, 500));
    first.proc.kill('SIGKILL');
    await exited(first.proc);
    const second = await startServer();
    const again = client(second.url);
    expect((await again.get('/api/health')).status).toBe(200);
    const status = await again.get(`/api/flows/${flowId}/status`);
    expect(status.json).toMatchObject({ state: 'running' });
    expect((await again.post('/api/events', cloudEvent({ id: 'after-restart', data: { t: 20 } }), CE)).status).toBe(202);
    const after = await waitFor(async () => {
      const page = await again.get(`/api/events?flowId=${flowId}&limit=1000`);
      const stored = page.json.events as Stored[];
      return stored.some((e) => e.causationId === 'after-restart' && e.nodeId === 'conv') && stored;
    }, 60_000);
    expect(after.filter((e) => e.stream === '$deadletter')).toHaveLength(5);
    second.proc.kill('SIGTERM');
    await exited(second.proc);
  });
});
