import { describe, expect, it } from 'vitest';
import { compile } from './compiler/compile.js';
import { DEMO_FLOW_ID, demoFlow, ensureDemo } from './demo.js';
import { Engine } from './runtime/engine.js';
import { openMemoryStore } from './store/index.js';

describe('the cold-chain demo', () => {
  it('compiles: fridges on two edge processes, a filter, an actor per fridge and a debug node', async () => {
    const flow = demoFlow();
    const result = await compile({ ...flow, revision: 1 });
    expect(result.ok).toBe(true);
    expect(flow.nodes.filter((n) => n.type === 'simulator').map((n) => n.process)).toEqual(['edge-1', 'edge-2']);
    expect(flow.nodes.map((n) => n.type)).toEqual(['simulator', 'simulator', 'filter', 'actor', 'debug']);
  });

  it('alerts after three warm readings in a row of one fridge, and only then', async () => {
    const store = openMemoryStore();
    const engine = new Engine({ store });
    const flow = demoFlow({ intervalMs: 5 });
    flow.nodes = flow.nodes.map((n) => (n.type === 'simulator' ? { ...n, config: { ...n.config, devices: 2, model: { base: 8, noise: 2, spikeChance: 0, spikeSize: 0 } } } : n));
    await engine.deploy(await store.flows.create(flow));
    await new Promise((r) => setTimeout(r, 600));
    await engine.close();

    const events = await store.read({ limit: 10_000 });
    const readings = events.filter((e) => e.type === 'fridge.reading');
    const alerts = events.filter((e) => e.type === 'fridge.alert');
    expect(readings.length).toBeGreaterThan(40);
    // Expected alerts, computed from the readings: the third warm reading of each run of consecutive warm ones.
    const expected: string[] = [];
    const run = new Map<string, number>();
    for (const r of readings) {
      const warm = (r.data as { t: number }).t > 8;
      const n = warm ? (run.get(r.process) ?? 0) + 1 : 0;
      run.set(r.process, n);
      if (n === 3) expected.push(r.id);
    }
    expect(expected.length).toBeGreaterThan(0);
    expect(alerts.map((a) => a.causationId).sort()).toEqual(expected.sort());
  });

  it('is created and deployed once: not again on the next start, nor after the user deletes it', async () => {
    const store = openMemoryStore();
    const first = new Engine({ store });
    expect(await ensureDemo(store, first)).toMatchObject({ created: true, flowId: DEMO_FLOW_ID });
    expect(first.running()).toEqual([DEMO_FLOW_ID]);
    await first.close();

    const second = new Engine({ store });
    expect(await ensureDemo(store, second)).toEqual({ created: false, reason: 'already-created' });
    await store.flows.setDeployment(DEMO_FLOW_ID, null);
    await store.flows.delete(DEMO_FLOW_ID);
    expect(await ensureDemo(store, second)).toEqual({ created: false, reason: 'already-created' });
    expect(await store.flows.get(DEMO_FLOW_ID)).toBeNull();
    await second.close();
  });

  it('is created once when several processes set it up at the same moment, and none of them fails', async () => {
    const store = openMemoryStore();
    const engines = [new Engine({ store }), new Engine({ store }), new Engine({ store })];
    const outcomes = await Promise.all(engines.map((engine) => ensureDemo(store, engine)));
    expect(outcomes.filter((o) => o.created)).not.toHaveLength(0);
    expect((await store.flows.list()).filter((f) => f.id === DEMO_FLOW_ID)).toHaveLength(1);
    expect((await store.flows.revisions(DEMO_FLOW_ID)).length).toBe(1);
    await Promise.all(engines.map((engine) => engine.close()));
  });
});
