import { describe, expect, it } from 'vitest';
import { openStore, type EventStore } from '../store/index.js';
import { checkpointKey } from './checkpoints.js';
import { all, deploy, until, useEngines } from './testing/engines.js';
import { flowOf, httpToTransform, reading } from './testing/flows.js';

const setup = useEngines();

describe('the order events reach the store in', () => {
  it('stores the events of concurrent publishers in the order their clocks were stamped', async () => {
    const { engine, store } = await setup();
    const devices = ['sensor-1', 'sensor-2', 'main'];
    await Promise.all(
      Array.from({ length: 4 }, (_, publisher) =>
        engine.publish(Array.from({ length: 30 }, (_, i) => ({ ...reading(i), process: devices[(publisher + i) % devices.length]! }))),
      ),
    );
    const events = await store.read({ limit: 1000 });
    expect(events).toHaveLength(120);
    for (const process of devices) {
      const owns = events.filter((e) => e.process === process).map((e) => e.vectorClock[process]);
      expect(owns).toEqual(owns.map((_, i) => i + 1));
    }
  });

  it("handles a node's next batch while its previous batch's events are being committed, and keeps their order", async () => {
    const inner = await openStore('memory:');
    // The derived events' appends are written at once but answered, in order, only when the test says: commits
    // under way.
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    let answers = Promise.resolve();
    const derivedAppends: string[][] = [];
    const store: EventStore = Object.create(inner, {
      append: {
        value: (drafts: Parameters<EventStore['append']>[0], options?: Parameters<EventStore['append']>[1]) => {
          const appending = inner.append(drafts, options);
          if (drafts[0]?.nodeId !== 'conv') return appending;
          derivedAppends.push(drafts.map((d) => d.causationId!));
          const answer = answers.then(() => answered).then(() => appending);
          answers = answer.then(() => undefined);
          return answer;
        },
      },
    });
    const { engine } = await setup({}, store);
    try {
      const flow = await deploy(engine, store, httpToTransform("{'celsius': data.t}"));
      const first = (await engine.publish([reading(1), reading(2)])).map((r) => r.event.id);
      await until(() => derivedAppends.length === 1);
      const second = (await engine.publish([reading(3)])).map((r) => r.event.id);
      // The second batch is handled and appended with the first one's answer still outstanding.
      await until(() => derivedAppends.length === 2);
      expect(derivedAppends).toEqual([first, second]);
      expect(engine.status(flow.id).nodes.conv).toMatchObject({ in: 3, out: 0 });

      answer();
      const derived = await until(async () => {
        const events = (await all(store, { flowId: flow.id })).filter((e) => e.nodeId === 'conv');
        return events.length === 3 && engine.status(flow.id).nodes.conv!.out === 3 && events;
      });
      expect(derived.map((e) => e.causationId)).toEqual([...first, ...second]);
      await engine.stop(flow.id);
      expect(await store.getCheckpoint(checkpointKey(flow.id))).toBe(await store.head());
    } finally {
      answer();
    }
  });

  it("stamps a node's derived events as they are appended: what another producer publishes meanwhile does not make them late", async () => {
    const { engine, store } = await setup();
    // A function call: evaluated by JSONata itself, which answers each input a turn later.
    const flow = await deploy(engine, store, httpToTransform("{'text': $string(data.t)}"));
    // Events of the same process published one by one while the transform works through its batches.
    const others = (async () => {
      for (let i = 0; i < 300; i++) await engine.publish([{ type: 'other.thing', source: 'test://other', data: { i } }]);
    })();
    for (let i = 0; i < 10; i++) await engine.publish(Array.from({ length: 50 }, (_, k) => reading(i * 50 + k)));
    await others;
    await until(async () => (await all(store, { flowId: flow.id })).filter((e) => e.nodeId === 'conv').length === 500);
    // In position order, the process's own counters only go up: none of its events reached the store after a later one.
    const counters = (await all(store)).filter((e) => e.process === 'main').map((e) => e.vectorClock.main!);
    expect(counters).toHaveLength(1300);
    expect(counters).toEqual([...counters].sort((a, b) => a - b));
  });

  it("stamps a source's events only once every clock they need is loaded, so what another producer stamps meanwhile comes first", async () => {
    const inner = await openStore('memory:');
    let asked!: () => void;
    const waiting = new Promise<void>((resolve) => (asked = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // fridge-2's clock loads only when the test says so.
    const store = new Proxy(inner, {
      get(target, prop) {
        if (prop === 'latestClock') {
          return async (process: string, options?: { namespace?: string }) => {
            if (process === 'fridge-2') {
              asked();
              await gate;
            }
            return target.latestClock(process, options);
          };
        }
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const { engine } = await setup({}, store);
    await deploy(engine, store, flowOf([{ id: 'sim', type: 'simulator', process: 'edge-1', config: { devices: 2, intervalMs: 20, prefix: 'fridge' } }], []));
    await waiting; // the simulator's first readings wait for fridge-2's clock
    await engine.publish([{ ...reading(1), process: 'fridge-1' }]); // another producer stamps fridge-1 meanwhile
    release();
    const events = await until(async () => {
      const e = await all(store, { process: 'fridge-1' });
      return e.length >= 2 && e;
    });
    expect(events.slice(0, 2).map((e) => [e.nodeId, e.vectorClock['fridge-1']])).toEqual([
      [null, 1],
      ['sim', 2],
    ]);
  });
});
