/**
 * Replicas as separate processes on one PostgreSQL schema and the local NATS: a process alone refuses a second, a
 * timer flow fires once per interval however many replicas run, a deploy on one replica reaches the others, and a
 * killed replica's flows move to the others within the lease time.
 */
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ClusterAnswer } from '../../shared/api/cluster.js';
import { databaseAvailable } from '../store/postgres/testing/database.js';
import { spawnServer } from '../testing/spawn-server.js';
import { natsAvailable } from '../transport/testing/nats.js';
import { flowOf } from '../runtime/testing/flows.js';
import { freshDatabase, Replicas, until } from '../testing/replicas.js';

const available = (await databaseAvailable()) && (await natsAvailable());
const LEASE_MS = 2000;
const drops: (() => Promise<void>)[] = [];
let replicas: Replicas | undefined;

afterEach(async () => {
  await replicas?.stopAll();
  replicas = undefined;
});
afterAll(async () => {
  for (const drop of drops) await drop().catch(() => undefined);
});

async function database(): Promise<string> {
  const { url, drop } = await freshDatabase();
  drops.push(drop);
  return url;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } });
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const cluster = (base: string) => json<ClusterAnswer>(`${base}/api/cluster`);

/** Who holds each partition of a flow (alive replicas only), as an answer of /api/cluster gives it. */
function holdersOf(answer: ClusterAnswer, flowId: string): string[][] {
  const out = Array.from({ length: answer.partitions }, () => [] as string[]);
  for (const p of answer.processes) if (p.alive) for (const partition of p.flows[flowId] ?? []) out[partition]!.push(p.name);
  return out;
}

/** Whether every partition of each flow has exactly one alive holder, as `base` sees it; the answer if so. */
async function placed(base: string, flowIds: string[]): Promise<ClusterAnswer | null> {
  const answer = await cluster(base);
  return flowIds.every((f) => holdersOf(answer, f).every((h) => h.length === 1)) ? answer : null;
}

async function createAndDeploy(base: string, flow: ReturnType<typeof flowOf>): Promise<string> {
  const created = await json<{ id: string }>(`${base}/api/flows`, { method: 'POST', body: JSON.stringify(flow) });
  await json(`${base}/api/flows/${created.id}/deploy`, { method: 'POST', body: '{}' });
  return created.id;
}

const timerFlow = (type: string, intervalMs: number) =>
  flowOf(
    [
      { id: 'tick', type: 'timer', config: { intervalMs, type } },
      { id: 'seen', type: 'debug', config: {} },
    ],
    [['tick', 'seen']],
  );

const countOf = async (base: string, type: string) => (await json<{ events: unknown[] }>(`${base}/api/events?type=${type}&limit=10000`)).events.length;

describe.skipIf(!available)('a cluster of replicas', () => {
  it('refuses a second process on a PostgreSQL store without NATS, saying why', async () => {
    const url = await database();
    const first = spawnServer(url);
    try {
      await first.ready;
      const second = spawnServer(url);
      await expect(second.ready).rejects.toThrow(/another Causeway process is using this PostgreSQL database.*NATS_URL/);
    } finally {
      first.proc.kill('SIGTERM');
    }
  });

  it('refuses a replica whose name another running replica has', { timeout: 60_000 }, async () => {
    replicas = new Replicas(await database(), { cluster: { leaseMs: LEASE_MS } });
    await replicas.start('r1');
    const { ready } = spawnServer(replicas.storeUrl, { natsUrl: 'nats://127.0.0.1:4222', process: 'r1' });
    await expect(ready).rejects.toThrow(/another replica named r1 is running/);
  });

  it('fires a timer flow once per interval on three replicas, not three times', { timeout: 60_000 }, async () => {
    replicas = new Replicas(await database(), { cluster: { leaseMs: LEASE_MS } });
    const [a, b, c] = [await replicas.start('r1'), await replicas.start('r2'), await replicas.start('r3')];
    const flowId = await createAndDeploy(b.child.url, timerFlow('tick.once', 100));
    const answer = await until(() => placed(a.child.url, [flowId]), 'every partition of the flow held once');
    expect(answer.partitions).toBeGreaterThan(1);
    // The partitions are spread: every replica runs some.
    expect(new Set(holdersOf(answer, flowId).flat()).size).toBe(3);
    const start = await countOf(c.child.url, 'tick.once');
    const startedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const ticks = (await countOf(c.child.url, 'tick.once')) - start;
    const expected = (Date.now() - startedAt) / 100;
    expect(ticks).toBeGreaterThan(expected * 0.5);
    expect(ticks).toBeLessThan(expected * 1.5);
    // Every replica sees the same holders.
    for (const r of [a, b, c]) expect(holdersOf(await cluster(r.child.url), flowId)).toEqual(holdersOf(answer, flowId));
    // Any replica's /metrics reports every replica's node counters; the timer's in partition 0's replica.
    const timerAt = holdersOf(answer, flowId)[0]![0]!;
    const scraped = await until(async () => {
      const text = await (await fetch(`${c.child.url}/metrics`)).text();
      return text.includes(`cluster_flow_node_events{process="${timerAt}",flow_id="${flowId}",node_id="seen",counter="in"}`) && text;
    }, 'the cluster\'s node counters in /metrics');
    for (const name of ['r1', 'r2', 'r3']) expect(scraped).toContain(`cluster_flow_node_events{process="${name}",flow_id="${flowId}"`);
  });

  it('moves a killed replica\'s partitions to the others within the lease time, and spreads them again after its restart', { timeout: 90_000 }, async () => {
    replicas = new Replicas(await database(), { cluster: { leaseMs: LEASE_MS } });
    for (const name of ['r1', 'r2', 'r3']) await replicas.start(name);
    const flows: string[] = [];
    for (let i = 0; i < 3; i++) flows.push(await createAndDeploy(replicas.url('r1'), timerFlow(`tick.f${i}`, 200)));
    const before = await until(() => placed(replicas!.url('r1'), flows), 'every partition held once');
    // The victim: whoever runs the first flow's timer (its partition 0).
    const victim = holdersOf(before, flows[0]!)[0]![0]!;
    const itsPartitions = before.processes.find((p) => p.name === victim)!.flows;

    await replicas.kill(victim);
    const killedAt = Date.now();
    const survivor = [...replicas.running.keys()][0]!;
    const after = await until(async () => {
      const answer = await placed(replicas!.url(survivor), flows);
      return answer && flows.every((f) => holdersOf(answer, f).every((h) => h[0] !== victim)) && answer;
    }, 'the killed replica\'s partitions to move', 30_000);
    // The lease runs out, then the next round (a third of the lease) takes it: within the lease time and a round.
    expect(Date.now() - killedAt).toBeLessThan(LEASE_MS + LEASE_MS / 3 + 1500);
    expect(Object.keys(itsPartitions).length).toBeGreaterThan(0);
    expect(after.processes.find((p) => p.name === victim)?.alive).toBe(false);
    // The first flow's timer runs again on its new holder.
    const n = await countOf(replicas.url(survivor), 'tick.f0');
    await until(async () => (await countOf(replicas!.url(survivor), 'tick.f0')) > n, 'tick.f0 to tick again');

    await replicas.start(victim);
    const spread = await until(async () => {
      const answer = await placed(replicas!.url(survivor), flows);
      const back = answer?.processes.find((p) => p.name === victim);
      return back && back.alive && Object.keys(back.flows).length > 0 && answer;
    }, 'the restarted replica to take its share again', 30_000);
    const total = flows.length * spread.partitions;
    for (const p of spread.processes) {
      const held = Object.values(p.flows).reduce((sum, parts) => sum + parts.length, 0);
      expect(held).toBeLessThanOrEqual(Math.ceil(total / 3));
    }
  });

  it('takes a deploy made on any replica to the one that runs the flow, and reports its status everywhere', { timeout: 60_000 }, async () => {
    replicas = new Replicas(await database(), { cluster: { leaseMs: LEASE_MS } });
    for (const name of ['r1', 'r2', 'r3']) await replicas.start(name);
    const flowId = await createAndDeploy(replicas.url('r1'), timerFlow('tick.rev', 100));
    const answer = await until(() => placed(replicas!.url('r1'), [flowId]), 'every partition held');
    // Saved and deployed on a replica that does not run the flow's timer.
    const other = ['r1', 'r2', 'r3'].find((n) => n !== holdersOf(answer, flowId)[0]![0])!;
    const flow = await json<{ revision: number; nodes: unknown[]; edges: unknown[]; name: string }>(`${replicas.url(other)}/api/flows/${flowId}`);
    const saved = await json<{ revision: number }>(`${replicas.url(other)}/api/flows/${flowId}`, {
      method: 'PUT',
      headers: { 'if-match': `"${flow.revision}"` },
      body: JSON.stringify({ ...timerFlow('tick.rev2', 100), id: flowId }),
    });
    const deployedAt = Date.now();
    await json(`${replicas.url(other)}/api/flows/${flowId}/deploy`, { method: 'POST', body: '{}' });
    for (const name of ['r1', 'r2', 'r3']) {
      await until(async () => {
        const status = await json<{ state: string; revision: number | null }>(`${replicas!.url(name)}/api/flows/${flowId}/status`);
        return status.state === 'running' && status.revision === saved.revision;
      }, `${name} to report revision ${saved.revision} running`);
    }
    expect(Date.now() - deployedAt).toBeLessThan(5000);
    await until(async () => (await countOf(replicas!.url(other), 'tick.rev2')) > 0, 'the new revision to tick');
  });

  it('starts a partition run again when the store refused its events, and the run handles what it held', async () => {
    const url = await database();
    replicas = new Replicas(url, { cluster: { leaseMs: LEASE_MS } });
    await replicas.start('r1');
    const base = replicas.url('r1');
    // The database refuses derived events while stall_switch holds a row, as a broken disk or a full one would.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      await db.query(`CREATE TABLE stall_switch (engaged boolean);
        CREATE FUNCTION refuse_derived() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF EXISTS (SELECT 1 FROM stall_switch) THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$;
        CREATE TRIGGER refuse_derived BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.node_id IS NOT NULL) EXECUTE FUNCTION refuse_derived();
        INSERT INTO stall_switch VALUES (true);`);
      const flow = flowOf(
        [
          { id: 'in', type: 'http', config: { types: ['stall.in'] } },
          { id: 'conv', type: 'transform', config: { expression: 'data', type: 'stall.out' } },
        ],
        [['in', 'conv']],
      );
      const flowId = await createAndDeploy(base, flow);
      await until(() => placed(base, [flowId]), 'every partition held');
      const events = Array.from({ length: 6 }, (_, i) => ({ specversion: '1.0', id: `stall-${i}`, source: `test/device-${i}`, type: 'stall.in', data: { i } }));
      const published = await fetch(`${base}/api/events`, { method: 'POST', body: JSON.stringify(events), headers: { 'content-type': 'application/cloudevents-batch+json' } });
      expect(published.status).toBe(202);
      // The run retries (100 + 200 + 400 ms) and stalls: its errors count, the inputs stay held.
      await until(async () => (await json<{ nodes: Record<string, { errors: number }> }>(`${base}/api/flows/${flowId}/status`)).nodes.conv?.errors || null, 'the run to stall');
      expect(await countOf(base, 'stall.out')).toBe(0);

      // The store works again before the round starts the run again (a lease time after the stall).
      await db.query('DELETE FROM stall_switch');
      await until(async () => (await countOf(base, 'stall.out')) === events.length || null, 'every held input handled', 20_000);
    } finally {
      await db.end();
    }
  });
});
