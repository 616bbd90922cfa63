/**
 * Replicas as separate processes on one PostgreSQL schema and the local NATS: a process alone refuses a second, a
 * timer flow fires once per interval however many replicas run, a deploy on one replica reaches the others, and a
 * killed replica's flows move to the others within the lease time.
 */
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
/** Which alive replicas hold a lease on the flow, as `base` sees it. */
const holders = async (base: string, flowId: string) => (await cluster(base)).processes.filter((p) => p.alive && p.flows[flowId]).map((p) => p.name);

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
    const { ready } = spawnServer((replicas as unknown as { storeUrl: string }).storeUrl, { natsUrl: 'nats://127.0.0.1:4222', process: 'r1' });
    await expect(ready).rejects.toThrow(/another replica named r1 is running/);
  });

  it('fires a timer flow once per interval on three replicas, not three times', { timeout: 60_000 }, async () => {
    replicas = new Replicas(await database(), { cluster: { leaseMs: LEASE_MS } });
    const [a, b, c] = [await replicas.start('r1'), await replicas.start('r2'), await replicas.start('r3')];
    const flowId = await createAndDeploy(b.child.url, timerFlow('tick.once', 100));
    const owners = await until(async () => {
      const h = await holders(a.child.url, flowId);
      return h.length === 1 && h;
    }, 'one replica to hold the flow');
    const start = await countOf(c.child.url, 'tick.once');
    const startedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const ticks = (await countOf(c.child.url, 'tick.once')) - start;
    const expected = (Date.now() - startedAt) / 100;
    expect(ticks).toBeGreaterThan(expected * 0.5);
    expect(ticks).toBeLessThan(expected * 1.5);
    // Every replica sees the same single owner.
    for (const r of [a, b, c]) expect(await holders(r.child.url, flowId)).toEqual(owners);
  });

  it('moves a killed replica\'s flows to the others within the lease time, and spreads them again after its restart', { timeout: 90_000 }, async () => {
    replicas = new Replicas(await database(), { cluster: { leaseMs: LEASE_MS } });
    for (const name of ['r1', 'r2', 'r3']) await replicas.start(name);
    const flows: string[] = [];
    for (let i = 0; i < 6; i++) flows.push(await createAndDeploy(replicas.url('r1'), timerFlow(`tick.f${i}`, 200)));
    const placed = async () => {
      const answer = await cluster(replicas!.url('r1'));
      const byFlow = new Map<string, string[]>();
      for (const p of answer.processes) for (const f of Object.keys(p.flows)) if (p.alive) byFlow.set(f, [...(byFlow.get(f) ?? []), p.name]);
      return flows.every((f) => byFlow.get(f)?.length === 1) ? answer : null;
    };
    const before = await until(placed, 'every flow held once');
    const victim = before.processes.find((p) => Object.keys(p.flows).length > 0)!;
    const itsFlows = Object.keys(victim.flows);

    await replicas.kill(victim.name);
    const killedAt = Date.now();
    const survivor = [...replicas.running.keys()][0]!;
    await until(async () => {
      for (const f of itsFlows) {
        const h = await holders(replicas!.url(survivor), f);
        if (h.length !== 1 || h[0] === victim.name) return false;
      }
      return true;
    }, 'the killed replica\'s flows to move', 30_000);
    const movedAfter = Date.now() - killedAt;
    // The lease runs out, then the next round (a third of the lease) takes it: within the lease time and a round.
    expect(movedAfter).toBeLessThan(LEASE_MS + LEASE_MS / 3 + 1500);
    // And they run there: their ticks go on.
    for (const f of itsFlows) {
      const type = `tick.f${flows.indexOf(f)}`;
      const n = await countOf(replicas.url(survivor), type);
      await until(async () => (await countOf(replicas!.url(survivor), type)) > n, `${type} to tick again`);
    }

    await replicas.start(victim.name);
    const after = await until(async () => {
      const answer = await placed();
      const back = answer?.processes.find((p) => p.name === victim.name);
      return back && back.alive && Object.keys(back.flows).length > 0 && answer;
    }, 'the restarted replica to take its share again', 30_000);
    for (const p of after.processes) expect(Object.keys(p.flows).length).toBeLessThanOrEqual(2);
  });

  it('takes a deploy made on any replica to the one that runs the flow, and reports its status everywhere', { timeout: 60_000 }, async () => {
    replicas = new Replicas(await database(), { cluster: { leaseMs: LEASE_MS } });
    for (const name of ['r1', 'r2', 'r3']) await replicas.start(name);
    const flowId = await createAndDeploy(replicas.url('r1'), timerFlow('tick.rev', 100));
    const [owner] = await until(async () => {
      const h = await holders(replicas!.url('r1'), flowId);
      return h.length === 1 && h;
    }, 'an owner');
    const other = ['r1', 'r2', 'r3'].find((n) => n !== owner)!;
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
});
