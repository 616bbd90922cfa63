/**
 * A cluster of replicas, each a process of its own (`npm start`'s server), on one PostgreSQL schema (dropped after)
 * and the local NATS:
 * - `cluster_events_per_s_1`, `cluster_events_per_s_3`: `http → filter → transform → actor (key data.k) → debug`
 *   deployed on one replica, then EVENTS events published in batches of 100 by 8 clients spread over the replicas;
 *   the figure is published events per second from the first publish until the actor has counted every one (read in
 *   PostgreSQL). The 3-replica figure's baseline is the 1-replica one: the ratio is what a cluster adds.
 * - `cluster_failover_ms`: three replicas run a 20 ms timer flow; the replica that runs its timer is SIGKILLed, and the figure
 *   is the time until the next tick stored by another replica, with `cluster.leaseMs` at 2 s (a dead replica's
 *   partitions wait for its leases to run out, then for the next round of a survivor: a third of the lease).
 * Each figure is the median of RUNS runs.
 */
import pg from 'pg';
import type { ClusterAnswer } from '../../shared/api/cluster.js';
import type { FlowDraft } from '../../shared/flow.js';
import { freshDatabase, Replicas, until } from '../../server/testing/replicas.js';
import type { FigureGroup } from '../figure-group.js';
import { median, spreadOf } from '../stats.js';

const EVENTS = 20_000;
const BATCH = 100;
const CLIENTS = 8;
const KEYS = 100;
const LEASE_MS = 2000;
const RUNS = 3;

const node = (id: string, type: string, config: Record<string, unknown>) => ({ id, type, name: id, process: 'main', position: { x: 0, y: 0 }, config });

const COUNTER = `const n = (state.n || 0) + 1; return { state: { n }, emit: [{ type: 'bench.counted', data: { k: event.data.k, n } }] };`;

const loadFlow: FlowDraft = {
  name: 'cluster bench',
  description: '',
  nodes: [
    node('in', 'http', { types: ['bench.reading'] }),
    node('hot', 'filter', { expression: 'data.v > -1' }),
    node('shape', 'transform', { expression: '{ "k": data.k, "v": data.v }', type: 'bench.shaped' }),
    node('count', 'actor', { key: 'data.k', initialState: {}, reducer: COUNTER }),
    node('seen', 'debug', {}),
  ],
  edges: [
    { id: 'e1', source: 'in', sourcePort: 'out', target: 'hot', targetPort: 'in' },
    { id: 'e2', source: 'hot', sourcePort: 'out', target: 'shape', targetPort: 'in' },
    { id: 'e3', source: 'shape', sourcePort: 'out', target: 'count', targetPort: 'in' },
    { id: 'e4', source: 'count', sourcePort: 'out', target: 'seen', targetPort: 'in' },
  ],
};

const timerFlow: FlowDraft = {
  name: 'failover bench',
  description: '',
  nodes: [node('tick', 'timer', { intervalMs: 20, type: 'bench.tick' }), node('seen', 'debug', {})],
  edges: [{ id: 'e1', source: 'tick', sourcePort: 'out', target: 'seen', targetPort: 'in' }],
};

async function post<T>(url: string, body: unknown, type = 'application/json'): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(body) });
  if (response.status >= 300) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function deploy(base: string, flow: FlowDraft): Promise<string> {
  const { id } = await post<{ id: string }>(`${base}/api/flows`, flow);
  await post(`${base}/api/flows/${id}/deploy`, {});
  await until(async () => {
    const answer = (await (await fetch(`${base}/api/cluster`)).json()) as ClusterAnswer;
    const held = answer.processes.filter((p) => p.alive).flatMap((p) => p.flows[id] ?? []);
    return new Set(held).size === answer.partitions;
  }, 'every partition held');
  return id;
}

/** A cluster of `n` replicas on a schema of its own, for one run. */
async function withCluster<T>(n: number, work: (replicas: Replicas, client: pg.Client) => Promise<T>): Promise<T> {
  const { url, drop } = await freshDatabase();
  const replicas = new Replicas(url, { cluster: { leaseMs: LEASE_MS } });
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    for (let i = 1; i <= n; i++) await replicas.start(`r${i}`);
    return await work(replicas, client);
  } finally {
    await client.end().catch(() => undefined);
    await replicas.stopAll();
    await drop();
  }
}

const countOf = async (client: pg.Client, type: string): Promise<number> =>
  Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE type = $1', [type])).rows[0]!.n);

/** Published events per second, end to end (counted by the actor), on `n` replicas. */
async function loadRun(n: number): Promise<number> {
  return withCluster(n, async (replicas, client) => {
    await deploy(replicas.url('r1'), loadFlow);
    const bases = [...replicas.running.keys()].map((name) => replicas.url(name));
    const batches = Array.from({ length: EVENTS / BATCH }, (_, b) =>
      Array.from({ length: BATCH }, (_, i) => {
        const v = b * BATCH + i;
        return { specversion: '1.0', id: `bench-${v}`, source: 'bench://cluster', type: 'bench.reading', data: { k: `k${v % KEYS}`, v } };
      }),
    );
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let b = next++; b < batches.length; b = next++) await post(`${bases[(b + c) % bases.length]}/api/events`, batches[b], 'application/cloudevents-batch+json');
      }),
    );
    await until(async () => (await countOf(client, 'bench.counted')) >= EVENTS, 'every event counted', 300_000);
    return EVENTS / ((performance.now() - started) / 1000);
  });
}

/** SIGKILL of the replica that runs the timer, to the first tick another replica stores (ms). */
async function failoverRun(): Promise<number> {
  return withCluster(3, async (replicas, client) => {
    await deploy(replicas.url('r1'), timerFlow);
    const owner = async () =>
      (await client.query<{ process: string }>(`SELECT process FROM events WHERE type = 'bench.tick' ORDER BY position DESC LIMIT 1`)).rows[0]?.process;
    const victim = await until(owner, 'the first tick');
    await replicas.kill(victim);
    const killed = performance.now();
    await until(async () => {
      const p = await owner();
      return p !== undefined && p !== victim;
    }, 'a tick from another replica', 60_000);
    return performance.now() - killed;
  });
}

async function samples(run: () => Promise<number>): Promise<number[]> {
  const values: number[] = [];
  for (let i = 0; i < RUNS; i++) values.push(await run());
  return values;
}

export const clusterFigures: FigureGroup = {
  names: ['cluster_events_per_s_1', 'cluster_events_per_s_3', 'cluster_failover_ms'],
  async run() {
    const one = await samples(() => loadRun(1));
    const three = await samples(() => loadRun(3));
    const failover = await samples(failoverRun);
    return [
      { name: 'cluster_events_per_s_1', value: median(one), unit: 'events/s', spread: spreadOf(one, 'runs') },
      { name: 'cluster_events_per_s_3', value: median(three), unit: 'events/s', baseline: 'cluster_events_per_s_1', spread: spreadOf(three, 'runs') },
      { name: 'cluster_failover_ms', value: median(failover), unit: 'ms', goal: `≤ ${LEASE_MS + LEASE_MS / 3 + 1000} (lease ${LEASE_MS} ms, then a round)`, spread: spreadOf(failover, 'runs') },
    ];
  },
};
