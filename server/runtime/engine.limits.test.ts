import { describe, expect, it } from 'vitest';
import type { EventStore } from '../store/index.js';
import { DEADLETTER_STREAM } from './derive.js';
import { EngineError } from './engine.js';
import { all, deploy, until, useEngines } from './testing/engines.js';
import { flowOf, httpToFunction, httpToTransform, reading } from './testing/flows.js';

const setup = useEngines();

describe('backpressure', () => {
  it('holds mailboxes to their capacity and refuses input when the bus stays behind', async () => {
    const { engine, store } = await setup({ queueCapacity: 4, maxLag: 20, admitTimeoutMs: 50 });
    const flow = await deploy(
      engine,
      store,
      flowOf(
        [
          { id: 'in', type: 'http', config: { types: ['reading.*'] } },
          { id: 'slow', type: 'function', config: { code: 'const end = Date.now() + 3; while (Date.now() < end) {} return null;', timeoutMs: 100 } },
        ],
        [['in', 'slow']],
      ),
    );
    let maxQueued = 0;
    const sampler = setInterval(() => (maxQueued = Math.max(maxQueued, engine.status(flow.id).nodes.slow?.queued ?? 0)), 1);
    await engine.publish(Array.from({ length: 100 }, (_, i) => reading(i)));
    await expect(engine.publish([reading(0)])).rejects.toBeInstanceOf(EngineError);
    clearInterval(sampler);
    expect(maxQueued).toBeGreaterThan(0);
    expect(maxQueued).toBeLessThanOrEqual(4);
    await until(() => engine.status(flow.id).nodes.slow!.in === 100, 10_000);
    await expect(engine.publish([reading(0)])).resolves.toHaveLength(1);
  });
});

describe('what one input may derive', () => {
  async function lettersAndOutputs(store: EventStore, flowId: string, outputs: number) {
    return until(async () => {
      const events = await all(store, { flowId });
      const letters = events.filter((e) => e.stream === DEADLETTER_STREAM);
      const derived = events.filter((e) => e.stream !== DEADLETTER_STREAM);
      return letters.length === 1 && derived.length === outputs && { letters, derived };
    }, 15_000);
  }

  it('dead-letters an input that derives more events than the limit; the next input flows', async () => {
    const { engine, store } = await setup({ maxDerivedPerInput: 50 });
    const flow = await deploy(engine, store, httpToFunction("return Array.from({length: event.data.n}, (_, i) => ({type: 'part', data: i}));"));
    await engine.publish([{ ...reading(1), data: { n: 51 } }]);
    await engine.publish([{ ...reading(2), data: { n: 50 } }]);
    const { letters } = await lettersAndOutputs(store, flow.id, 50);
    expect(letters[0]!.data).toMatchObject({ error: { code: 'too_many_events', message: expect.stringContaining('51 events, more than the limit of 50') } });
  });

  it('dead-letters an input whose derived event the store cannot keep (a NUL); the rest of its batch is stored', async () => {
    const { engine, store } = await setup();
    const flow = await deploy(engine, store, httpToFunction("return {type: 'named', data: {name: event.data.bad ? 'a\\u0000b' : 'ab'}};"));
    await engine.publish([{ ...reading(1), data: { bad: false } }, { ...reading(2), data: { bad: true } }, { ...reading(3), data: { bad: false } }]);
    const { letters } = await lettersAndOutputs(store, flow.id, 2);
    expect(letters[0]!.data).toMatchObject({ error: { code: 'invalid_event', message: expect.stringContaining('NUL') } });
    expect(engine.status(flow.id)?.error ?? null).toBeNull();
  });

  it('dead-letters a derived event built from the same large value many times over (more than 8 MiB)', async () => {
    const { engine, store } = await setup();
    const keys = Array.from({ length: 16 }, (_, i) => `'k${i}': data.s`).join(', ');
    const flow = await deploy(engine, store, httpToTransform(`{${keys}}`));
    await engine.publish([{ ...reading(1), data: { s: 'x'.repeat(600_000) } }]);
    await engine.publish([{ ...reading(2), data: { s: 'small' } }]);
    const { letters } = await lettersAndOutputs(store, flow.id, 1);
    expect(letters[0]!.data).toMatchObject({ error: { code: 'invalid_event', message: expect.stringContaining('more than 8 MiB') } });
  });
});
