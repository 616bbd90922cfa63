/**
 * The cluster under load while a replica dies: three replicas on one PostgreSQL schema and the local NATS run
 * `http → filter → transform → actor (key data.k) → http-request` (to a recorder here); 3,000 events are published
 * across all three, one replica is SIGKILLed mid-load and restarted, and then the store and the recorder must show
 * that nothing acknowledged was lost or doubled, that every actor key counted exactly its inputs, and that no
 * (process, counter) pair was given twice.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClusterAnswer } from '../../shared/api/cluster.js';
import type { StoredEvent } from '../../shared/event.js';
import { flowOf } from '../runtime/testing/flows.js';
import { databaseAvailable } from '../store/postgres/testing/database.js';
import { freshDatabase, Replicas, until } from '../testing/replicas.js';
import { natsAvailable } from '../transport/testing/nats.js';

const available = (await databaseAvailable()) && (await natsAvailable());
const LEASE_MS = 2000;
const EVENTS = 3000;
const KEYS = 24;
const BATCH = 50;

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** An HTTP receiver that records each delivery's idempotency key. */
async function recorder(): Promise<{ url: string; keys: string[]; server: Server }> {
  const keys: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      keys.push(String(req.headers['idempotency-key']));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, keys, server };
}

const COUNTER = `
const n = (state.n || 0) + 1;
return { state: { n }, emit: [{ type: 'load.counted', data: { k: event.data.k, n, input: event.causationId } }] };`;

async function readAll(base: string): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for (let after = 0; ; ) {
    const page = (await (await fetch(`${base}/api/events?after=${after}&limit=10000`)).json()) as { events: StoredEvent[]; next: number | null };
    all.push(...page.events);
    if (page.next === null || page.events.length === 0) return all;
    after = page.next;
  }
}

describe.skipIf(!available)('a cluster under load while a replica dies', () => {
  it('stores every acknowledged event once, derives once per cause and node, counts every key exactly, and reuses no clock counter', { timeout: 360_000 }, async () => {
    const { url: storeUrl, drop } = await freshDatabase();
    cleanups.push(drop);
    const hook = await recorder();
    cleanups.push(() => new Promise((resolve) => hook.server.close(() => resolve())));
    const replicas = new Replicas(storeUrl, { cluster: { leaseMs: LEASE_MS } });
    cleanups.push(() => replicas.stopAll());
    const names = ['r1', 'r2', 'r3'];
    for (const name of names) await replicas.start(name);

    const flow = flowOf(
      [
        { id: 'in', type: 'http', config: { types: ['load.*'] } },
        { id: 'positive', type: 'filter', config: { expression: 'data.v >= 0' } },
        { id: 'shape', type: 'transform', config: { expression: '{ "k": data.k, "v": data.v }', type: 'shaped.reading' } },
        { id: 'count', type: 'actor', config: { key: 'data.k', initialState: {}, reducer: COUNTER, snapshotEvery: 25 } },
        { id: 'hook', type: 'http-request', config: { url: hook.url, retries: 5 } },
      ],
      [
        ['in', 'positive'],
        ['positive', 'shape'],
        ['shape', 'count'],
        ['count', 'hook'],
      ],
    );
    const created = (await (await fetch(`${replicas.url('r1')}/api/flows`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(flow) })).json()) as { id: string };
    expect((await fetch(`${replicas.url('r2')}/api/flows/${created.id}/deploy`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);
    await until(async () => {
      const answer = (await (await fetch(`${replicas.url('r3')}/api/cluster`)).json()) as ClusterAnswer;
      const held = answer.processes.filter((p) => p.alive).flatMap((p) => p.flows[created.id] ?? []);
      return held.length === answer.partitions && new Set(held).size === answer.partitions;
    }, 'every partition held');

    // Publish in batches, round robin over the replicas that run; a batch a dead replica could not acknowledge is
    // sent again to another (the store keeps an id once).
    const acknowledged = new Set<string>();
    const victim = 'r2';
    let killed = false;
    for (let start = 0, turn = 0; start < EVENTS; start += BATCH) {
      if (!killed && start >= EVENTS / 3) {
        await replicas.kill(victim);
        killed = true;
      }
      if (killed && start === Math.floor((EVENTS * 2) / 3 / BATCH) * BATCH) await replicas.start(victim);
      const batch = Array.from({ length: Math.min(BATCH, EVENTS - start) }, (_, i) => ({
        specversion: '1.0',
        id: `load-${start + i}`,
        source: 'test://load',
        type: 'load.reading',
        data: { k: `k${(start + i) % KEYS}`, v: start + i },
      }));
      for (let attempt = 0; ; attempt++, turn++) {
        const running = [...replicas.running.keys()];
        const target = running[turn % running.length]!;
        const response = await fetch(`${replicas.url(target)}/api/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/cloudevents-batch+json' },
          body: JSON.stringify(batch),
        }).catch(() => null);
        if (response?.status === 202) {
          for (const e of ((await response.json()) as { events: { id: string }[] }).events) acknowledged.add(e.id);
          turn++;
          break;
        }
        if (attempt > 20) throw new Error(`a batch could not be published: ${response?.status}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(acknowledged.size).toBe(EVENTS);

    // Everything flows through: one count per input, and each count delivered.
    const base = replicas.url('r1');
    // Mostly within seconds; a wait of minutes has been seen once (see the note in docs/operations.md's cluster section).
    await until(async () => (await readAll(base)).filter((e) => e.type === 'load.counted').length >= EVENTS, 'every input counted', 200_000);
    await until(async () => new Set(hook.keys).size >= EVENTS, 'every count delivered', 60_000);
    const events = await readAll(base);

    // Every acknowledged event stored exactly once.
    const inputs = events.filter((e) => e.type === 'load.reading');
    expect(inputs.length).toBe(EVENTS);
    expect(new Set(inputs.map((e) => e.id))).toEqual(acknowledged);

    // One derived event per (cause, node).
    const derived = events.filter((e) => e.flowId === created.id);
    const perCause = new Map<string, number>();
    for (const e of derived) perCause.set(`${e.causationId}|${e.nodeId}`, (perCause.get(`${e.causationId}|${e.nodeId}`) ?? 0) + 1);
    expect([...perCause.values()].every((n) => n === 1)).toBe(true);
    expect(derived.filter((e) => e.type === 'causeway.deadletter')).toEqual([]);

    // Each actor key counted exactly its inputs: counts 1..n, each once.
    const counted = derived.filter((e) => e.type === 'load.counted');
    expect(counted.length).toBe(EVENTS);
    for (let k = 0; k < KEYS; k++) {
      const key = `k${k}`;
      const ns = counted.filter((e) => (e.data as { k: string }).k === key).map((e) => (e.data as { n: number }).n).sort((a, b) => a - b);
      const expected = inputs.filter((e) => (e.data as { k: string }).k === key).length;
      expect(ns).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
    }

    // Every idempotency key reached the recorder.
    const delivered = new Set(hook.keys);
    expect(counted.every((e) => delivered.has(e.id))).toBe(true);

    // No (process, counter) reused. (That each process's counters also rise in store order, no late events, is not
    // held yet: once, the killed replica's counter 5 was stored after its 67 — see docs/operations.md.)
    const seen = new Set<string>();
    for (const e of events) {
      const pair = `${e.process}:${e.vectorClock[e.process]!}`;
      expect(seen.has(pair), `${pair} used twice`).toBe(false);
      seen.add(pair);
    }
    // The replicas stamped what they handled: every replica's own process is there.
    const stampers = new Set(events.map((e) => e.process));
    for (const name of names) expect(stampers.has(name)).toBe(true);
  });
});
