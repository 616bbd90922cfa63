import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../shared/event.js';
import { isStoreError, openStore, StoreError } from '../store/index.js';
import { all, until, useEngines } from './testing/engines.js';
import { flowOf, reading } from './testing/flows.js';

const setup = useEngines();

describe('deploying a new revision', () => {
  it('drains the old graph and swaps: every event is handled by exactly one revision, none lost', async () => {
    const { engine, store } = await setup();
    const flow = flowOf(
      [
        { id: 'in', type: 'http', config: { types: ['reading.*'] } },
        { id: 'conv', type: 'transform', config: { expression: 'data', type: 'handled.v1' } },
      ],
      [['in', 'conv']],
    );
    const saved = await store.flows.create(flow);
    await engine.deploy(saved);
    const published: StoredEvent[] = [];
    let publishing = true;
    const publisher = (async () => {
      for (let i = 0; publishing; i++) {
        published.push(...(await engine.publish([reading(i), reading(i)])).map((r) => r.event));
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    const v2 = await store.flows.update(flow.id, { ...flow, nodes: flow.nodes.map((n) => (n.id === 'conv' ? { ...n, config: { expression: 'data', type: 'handled.v2' } } : n)) }, 1);
    const result = await engine.deploy(v2);
    expect(result).toMatchObject({ ok: true, deployedRevision: 2 });
    await new Promise((r) => setTimeout(r, 50));
    publishing = false;
    await publisher;
    const derived = await until(async () => {
      const d = await all(store, { flowId: flow.id });
      return d.length === published.length && d;
    });
    const byCause = new Map<string, string[]>();
    for (const d of derived) byCause.set(d.causationId!, [...(byCause.get(d.causationId!) ?? []), d.type]);
    for (const p of published) expect(byCause.get(p.id)).toHaveLength(1);
    const types = new Set(derived.map((d) => d.type));
    expect(types).toEqual(new Set(['handled.v1', 'handled.v2']));
    // Revision 1 handled a prefix of the log and revision 2 the rest.
    const firstV2 = derived.find((d) => d.type === 'handled.v2')!;
    const causePosition = (d: StoredEvent) => published.find((p) => p.id === d.causationId)!.position;
    for (const d of derived) {
      if (d.type === 'handled.v1') expect(causePosition(d)).toBeLessThan(causePosition(firstV2));
      else expect(causePosition(d)).toBeGreaterThanOrEqual(causePosition(firstV2));
    }
  });

  it('stopping finishes the chains already begun: every derived event reaches the next node before stop resolves', async () => {
    const { engine, store } = await setup({}, await openStore('sqlite::memory:'));
    const saved = await store.flows.create(
      flowOf(
        [
          { id: 'in', type: 'http', config: { types: ['reading.*'] } },
          { id: 'first', type: 'transform', config: { expression: 'data', type: 'step.one' } },
          { id: 'second', type: 'transform', config: { expression: 'data', type: 'step.two' } },
        ],
        [
          ['in', 'first'],
          ['first', 'second'],
        ],
      ),
    );
    await engine.deploy(saved);
    await engine.publish(Array.from({ length: 300 }, (_, i) => reading(i)));
    await until(async () => (await all(store, { flowId: saved.id })).some((e) => e.type === 'step.one'));
    await engine.stop(saved.id);
    const derived = await all(store, { flowId: saved.id });
    const ones = derived.filter((e) => e.type === 'step.one');
    const twoCauses = new Set(derived.filter((e) => e.type === 'step.two').map((e) => e.causationId));
    expect(ones.length).toBeGreaterThan(0);
    for (const one of ones) expect(twoCauses.has(one.id), `step.two for ${one.id}`).toBe(true);
  });

  it('stops a flow: events published while stopped are handled once it runs again', async () => {
    const { engine, store } = await setup();
    const saved = await store.flows.create(
      flowOf(
        [
          { id: 'in', type: 'http', config: { types: ['reading.*'] } },
          { id: 'conv', type: 'transform', config: { expression: 'data' } },
        ],
        [['in', 'conv']],
      ),
    );
    await engine.deploy(saved);
    await engine.stop(saved.id);
    expect(engine.status(saved.id).state).toBe('stopped');
    expect(await store.flows.deployments()).toEqual([]);
    const [e] = (await engine.publish([reading(1)])).map((r) => r.event);
    await engine.deploy(saved);
    const [d] = await until(async () => {
      const x = await all(store, { flowId: saved.id });
      return x.length > 0 && x;
    });
    expect(d!.causationId).toBe(e!.id);
  });
});

describe('a partition run whose lease was taken', () => {
  it('stops when its drain cannot save, and the engine lets it go: no run left behind to stall', async () => {
    const { engine, store } = await setup();
    const flow = await store.flows.create(
      flowOf(
        [
          { id: 'in', type: 'http', config: { types: ['reading.*'] } },
          { id: 'conv', type: 'transform', config: { expression: 'data', type: 'handled' } },
        ],
        [['in', 'conv']],
      ),
    );
    let leaseLost = false;
    const refuse = () => Promise.reject(new StoreError('fenced', 'the lease was taken over'));
    // The store as a fenced run sees it: every write refused once the lease is gone.
    const fenced = new Proxy(store, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (leaseLost && (property === 'append' || property === 'setCheckpoints' || property === 'saveSnapshot')) return refuse;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const partition = { index: 0, count: 1 };
    expect(await engine.runHere(flow, { store: fenced, clocks: engine.clocks.forRun('r1'), partition, process: 'r1' })).toMatchObject({ ok: true });
    await engine.publish([reading(1)]);
    await until(async () => (await all(store, { flowId: flow.id })).length === 1);

    leaseLost = true;
    await engine.publish([reading(2)]); // its derived event is refused: the run stalls
    await until(() => engine.failedHere(flow.id, partition) !== null);
    await expect(engine.stopHere(flow.id, partition)).rejects.toSatisfy((e) => isStoreError(e, 'fenced'));
    expect(engine.revisionHere(flow.id, partition)).toBeNull();
    expect(engine.failedHere(flow.id, partition)).toBeNull();
  });
});
