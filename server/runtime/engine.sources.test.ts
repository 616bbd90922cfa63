import { describe, expect, it } from 'vitest';
import { all, deploy, until, useEngines } from './testing/engines.js';
import { flowOf, reading } from './testing/flows.js';

const setup = useEngines();

describe('sources', () => {
  it('a simulator gives each device its own process and clock', async () => {
    const { engine, store } = await setup();
    const flow = await deploy(engine, store, flowOf([{ id: 'sim', type: 'simulator', process: 'edge-1', config: { devices: 3, intervalMs: 10, prefix: 'fridge' } }], []));
    const events = await until(async () => {
      const e = await all(store, { flowId: flow.id });
      return e.length >= 9 && e;
    });
    expect(new Set(events.map((e) => e.process))).toEqual(new Set(['fridge-1', 'fridge-2', 'fridge-3']));
    for (const e of events) {
      expect(Object.keys(e.vectorClock)).toEqual([e.process]);
      expect(e.stream).toBe(e.process);
      expect(typeof (e.data as { t: unknown }).t).toBe('number');
    }
    const f1 = events.filter((e) => e.process === 'fridge-1').map((e) => e.vectorClock['fridge-1']);
    expect(f1).toEqual(f1.map((_, i) => i + 1));
  });

  it('a timer emits its event every interval', async () => {
    const { engine, store } = await setup();
    const flow = await deploy(engine, store, flowOf([{ id: 't', type: 'timer', config: { intervalMs: 10, type: 'tick', data: { hello: 1 } } }], []));
    const ticks = await until(async () => {
      const e = await all(store, { flowId: flow.id });
      return e.length >= 3 && e;
    });
    expect(ticks.every((t) => t.type === 'tick' && (t.data as { hello: number }).hello === 1)).toBe(true);
  });

  it('an http source counts the events that enter the flow through it, and only those', async () => {
    const { engine, store } = await setup();
    const flow = await deploy(
      engine,
      store,
      flowOf(
        [
          { id: 'in', type: 'http', config: { types: ['reading.*'] } },
          { id: 'seen', type: 'debug' },
        ],
        [['in', 'seen']],
      ),
    );
    await engine.publish([reading(1), reading(2), { type: 'other.thing', source: 'x', data: {} }]);
    await until(() => engine.status(flow.id).nodes.seen?.in === 2);
    expect(engine.status(flow.id).nodes.in).toMatchObject({ in: 2, out: 2, errors: 0 });
  });
});
