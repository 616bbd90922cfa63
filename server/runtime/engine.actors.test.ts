import { describe, expect, it } from 'vitest';
import { openStore, type EventStore } from '../store/index.js';
import { snapshotKey } from './checkpoints.js';
import { DEADLETTER_STREAM } from './derive.js';
import { Engine } from './engine.js';
import { keyRecordOf, type ActorSnapshot } from './live-keys.js';
import { all, deploy, until, useEngines } from './testing/engines.js';
import { flowOf, reading } from './testing/flows.js';

const setup = useEngines();

describe('actors', () => {
  const actorFlow = (config: Record<string, unknown>) =>
    flowOf(
      [
        { id: 'in', type: 'http', config: { types: ['reading.*'] } },
        { id: 'a', type: 'actor', config: { key: 'data.device', initialState: { n: 0 }, ...config } },
      ],
      [['in', 'a']],
    );
  const counting = "if (event.data.t < 0) throw new Error('bad'); const n = state.n + 1; return {state: {n}, emit: [{type: 'counted', data: {device: event.data.device, n}}]};";
  const countsOf = async (store: EventStore, flowId: string, n: number) =>
    until(async () => {
      const e = await all(store, { flowId, types: ['counted'] });
      return e.length === n && e.map((x) => x.data as { device: string; n: number });
    });

  it('keeps state per key', async () => {
    const { engine, store } = await setup();
    const flow = await deploy(engine, store, actorFlow({ reducer: counting }));
    await engine.publish([reading(1, { device: 'a' }), reading(1, { device: 'b' }), reading(1, { device: 'a' })]);
    expect(await countsOf(store, flow.id, 3)).toEqual([
      { device: 'a', n: 1 },
      { device: 'b', n: 1 },
      { device: 'a', n: 2 },
    ]);
  });

  it.each([
    ['restart', [1, 1]],
    ['resume', [1, 2]],
  ] as const)('supervises a failing reducer with strategy %s', async (strategy, expected) => {
    const { engine, store } = await setup();
    const flow = await deploy(engine, store, actorFlow({ reducer: counting, strategy }));
    await engine.publish([reading(1, { device: 'a' }), reading(-1, { device: 'a' }), reading(1, { device: 'a' })]);
    expect((await countsOf(store, flow.id, 2)).map((c) => c.n)).toEqual(expected);
    expect(await store.readStream(DEADLETTER_STREAM)).toHaveLength(1);
  });

  it('with strategy stop refuses the key after a failure, other keys go on', async () => {
    const { engine, store } = await setup();
    const flow = await deploy(engine, store, actorFlow({ reducer: counting, strategy: 'stop' }));
    await engine.publish([reading(-1, { device: 'a' }), reading(1, { device: 'a' }), reading(1, { device: 'b' })]);
    expect(await countsOf(store, flow.id, 1)).toEqual([{ device: 'b', n: 1 }]);
    const letters = await until(async () => {
      const l = await store.readStream(DEADLETTER_STREAM);
      return l.length === 2 && l;
    });
    expect(letters.map((l) => (l.data as { error: { code: string } }).error.code)).toEqual(['error', 'actor_stopped']);
  });

  it('interrupts a reducer that runs past its timeout and carries on', async () => {
    const { engine, store } = await setup();
    const flow = await deploy(engine, store, actorFlow({ reducer: `if (event.data.t > 100) { while (true) {} } ${counting}`, timeoutMs: 20 }));
    await engine.publish([reading(1000, { device: 'a' }), reading(1, { device: 'a' })]);
    expect(await countsOf(store, flow.id, 1)).toEqual([{ device: 'a', n: 1 }]);
    const [letter] = await store.readStream(DEADLETTER_STREAM);
    expect(letter!.data).toMatchObject({ error: { code: 'timeout' } });
  });

  it('restores from its snapshot plus later events after a restart, applying each event once', async () => {
    const store = await openStore('memory:');
    const first = new Engine({ store });
    const flow = actorFlow({ reducer: counting, snapshotEvery: 2 });
    const saved = await store.flows.create(flow);
    await first.deploy(saved);
    await first.publish([1, 2, 3, 4, 5].map(() => reading(1, { device: 'a' })));
    await countsOf(store, flow.id, 5);
    await first.close();
    const { engine } = await setup({}, store);
    await engine.restore();
    await engine.publish([reading(1, { device: 'a' })]);
    expect((await countsOf(store, flow.id, 6)).map((c) => c.n)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  describe('with at most maxLiveKeys keys in memory', () => {
    const devices = ['a', 'b', 'c', 'd', 'e'];
    /** Device i gets i + 2 readings, interleaved: a b c d e a b c d e … until each has had its share. */
    const interleaved = (from = 0) =>
      [0, 1, 2, 3, 4, 5].flatMap((round) => devices.filter((_, i) => round < i + 2).map((device) => reading(1, { device, round: from + round })));
    const lastCounts = (counts: { device: string; n: number }[]) => Object.fromEntries(devices.map((d) => [d, Math.max(...counts.filter((c) => c.device === d).map((c) => c.n))]));
    const inMemory = async (store: EventStore, flowId: string) => Object.keys(((await store.loadSnapshot(snapshotKey(flowId, 'a')))!.state as ActorSnapshot).keys);

    it('passivates the least recently used key and reloads it on its next message: 5 keys through 2 places count every input', async () => {
      const { engine, store } = await setup({ maxLiveKeys: 2, batchSize: 1 });
      const flow = await deploy(engine, store, actorFlow({ reducer: counting }));
      const inputs = interleaved();
      await engine.publish(inputs);
      const counts = await countsOf(store, flow.id, inputs.length);
      for (const device of devices) {
        const ns = counts.filter((c) => c.device === device).map((c) => c.n);
        expect(ns).toEqual(ns.map((_, i) => i + 1)); // each input folded once, in order, from the state it left with
      }
      expect(lastCounts(counts)).toEqual({ a: 2, b: 3, c: 4, d: 5, e: 6 });
      // Every key left memory at some point: each has a record of its own.
      for (const device of devices) expect(await store.loadSnapshot(keyRecordOf(flow.id, 'a', device))).not.toBeNull();
      await engine.close();
      expect((await inMemory(store, flow.id)).length).toBeLessThanOrEqual(2);
    });

    it.each([
      ['with the same bound', { maxLiveKeys: 2 }],
      ['without a bound', {}],
    ])('goes on from the passivated states after a restart %s, in whole batches', async (_, after) => {
      const store = await openStore('memory:');
      const first = new Engine({ store, maxLiveKeys: 2, batchSize: 1 });
      const flow = await store.flows.create(actorFlow({ reducer: counting }));
      await first.deploy(flow);
      await first.publish(interleaved());
      await countsOf(store, flow.id, 20);
      await first.close();
      // At least three keys are in no snapshot, only in their records.
      expect((await inMemory(store, flow.id)).length).toBeLessThanOrEqual(2);

      const { engine } = await setup(after, store);
      await engine.restore();
      await engine.publish(interleaved(10));
      const counts = await countsOf(store, flow.id, 40);
      expect(lastCounts(counts)).toEqual({ a: 4, b: 6, c: 8, d: 10, e: 12 });
    });

    it('without a bound keeps every key and writes no record', async () => {
      const { engine, store } = await setup({ batchSize: 1 });
      const flow = await deploy(engine, store, actorFlow({ reducer: counting }));
      await engine.publish(interleaved());
      expect(lastCounts(await countsOf(store, flow.id, 20))).toEqual({ a: 2, b: 3, c: 4, d: 5, e: 6 });
      for (const device of devices) expect(await store.loadSnapshot(keyRecordOf(flow.id, 'a', device))).toBeNull();
      await engine.close();
      expect((await inMemory(store, flow.id)).sort()).toEqual(devices);
    });
  });
});
