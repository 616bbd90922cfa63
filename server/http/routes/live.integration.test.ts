/**
 * Live streams at scale, on a real server in its own process with real sockets: thousands of open event streams do
 * not slow publishing down much, every client gets every event (or is told it fell behind), and health stays fast.
 * The clients run in a process of their own too (`testing/sse-clients.ts`), so neither their sockets nor their
 * reading weigh on this process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CE, client, cloudEvent } from '../test-server.js';
import { exited, spawnServer, type ServerChild } from '../testing/spawn-server.js';

const CLIENTS = 2000;
const EVENTS = 1000;
/** Publishes in flight at once, as a few busy producers would. */
const PRODUCERS = 4;

const dir = mkdtempSync(join(tmpdir(), 'causeway-live-'));
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(children.map(exited));
  rmSync(dir, { recursive: true, force: true });
});

/** CPU time a process has used (ms), where Linux tells it; null elsewhere. */
function cpuMsOf(pid: number): number | null {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return null;
  const fields = readFileSync(stat, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime, in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Publishes `count` events one request each, `PRODUCERS` at a time, while watching health; resolves with the time
 * taken, the server's CPU time meanwhile and the slowest health answer (ms).
 */
async function publish(server: ServerChild, count: number, tag: string): Promise<{ ms: number; cpuMs: number | null; slowestHealth: number }> {
  const api = client(server.url);
  const health = watchHealth(server.url);
  const cpuBefore = cpuMsOf(server.proc.pid!);
  let next = 0;
  const started = performance.now();
  const producer = async () => {
    while (next < count) {
      const i = next++;
      const res = await api.post('/api/events', cloudEvent({ type: `load.${tag}`, data: { i } }), CE);
      if (res.status !== 202) throw new Error(`publish ${i}: ${res.status} ${res.text}`);
    }
  };
  await Promise.all(Array.from({ length: PRODUCERS }, producer));
  const ms = performance.now() - started;
  const cpuAfter = cpuMsOf(server.proc.pid!);
  const slowestHealth = await health.stop();
  return { ms, cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore, slowestHealth };
}

/** Asks for /api/health every 50 ms until stopped; resolves with the slowest answer (ms). */
function watchHealth(url: string): { stop: () => Promise<number> } {
  let running = true;
  let slowest = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const res = await fetch(`${url}/api/health`);
      await res.text();
      slowest = Math.max(slowest, performance.now() - started);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return slowest;
    },
  };
}

interface ClientsReport {
  clients: number;
  complete: number;
  overflowed: number;
  incomplete: number;
  tooMany: number;
  minEvents: number;
  maxEvents: number;
  lastIds: (string | null)[];
}

/** Starts the clients' process; resolves once every client has its stream open. */
async function openClients(url: string, clients: number, expected: number) {
  const child = fork(join(import.meta.dirname, '..', 'testing', 'sse-clients.ts'), [url, String(clients), String(expected)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  const message = <T,>(type: string) =>
    new Promise<T>((resolve, reject) => {
      child.on('message', (m: { type: string }) => m.type === type && resolve(m as T));
      child.once('exit', (code) => reject(new Error(`the clients' process exited with ${code}`)));
    });
  const done = message<ClientsReport>('done');
  const opened = await message<{ open: number; refused: number }>('open');
  return { opened, done, report: () => child.send('report') };
}

describe('live event streams at scale', () => {
  it(
    `${CLIENTS} open streams while ${EVENTS} events are published: publishing within 2× the time without them, every client gets every event, health stays fast`,
    { timeout: 300_000 },
    async () => {
      const { proc, ready } = spawnServer(join(dir, 'scale.db'), { http: { maxStreams: CLIENTS + 100, maxStreamsPerClient: CLIENTS + 100 } });
      children.push(proc);
      const server = await ready;

      await publish(server, 100, 'warmup');
      const alone = await publish(server, EVENTS, 'alone');

      const clients = await openClients(`${server.url}/api/events/live?type=load.crowd`, CLIENTS, EVENTS);
      expect(clients.opened).toEqual({ type: 'open', open: CLIENTS, refused: 0 });
      const crowded = await publish(server, EVENTS, 'crowd');
      const timer = setTimeout(clients.report, 60_000);
      const received = await clients.done;
      clearTimeout(timer);

      const line = (p: typeof alone) => `${p.ms.toFixed(0)} ms (server CPU ${p.cpuMs ?? '?'} ms, slowest health ${p.slowestHealth.toFixed(0)} ms)`;
      console.log(`publishing ${EVENTS} events: alone ${line(alone)}; with ${CLIENTS} streams ${line(crowded)}`, received);
      expect(received.incomplete).toBe(0);
      expect(received.tooMany).toBe(0);
      expect(received.complete + received.overflowed).toBe(CLIENTS);
      // The server's own work: within 2× of publishing alone (where the operating system tells it).
      if (alone.cpuMs !== null && crowded.cpuMs !== null) expect(crowded.cpuMs).toBeLessThanOrEqual(2 * alone.cpuMs);
      // Time on the clock, which a busy shared machine stretches for both runs unevenly: 2×, or a minute at most.
      expect(crowded.ms).toBeLessThanOrEqual(Math.max(2 * alone.ms, 60_000));
      expect(crowded.slowestHealth).toBeLessThan(Math.max(1000, 2 * alone.slowestHealth));
    },
  );
});
