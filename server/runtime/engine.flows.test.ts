import { describe, expect, it } from 'vitest';
import { happenedBefore } from '../../shared/clock.js';
import type { StoredEvent } from '../../shared/event.js';
import { DEADLETTER_STREAM } from './derive.js';
import type { DebugMessage } from './flow-runtime.js';
import { all, deploy, until, useEngines } from './testing/engines.js';
import { flowOf, reading } from './testing/flows.js';

const setup = useEngines();

describe('a deployed flow', () => {
  it('runs http in → filter → transform → debug: forwards the same event, derives with causation, clock and a deterministic id', async () => {
    const { engine, store } = await setup();
    const debug: DebugMessage[] = [];
    engine.onDebug((m) => debug.push(m));
    const flow = await deploy(
      engine,
      store,
      flowOf(
        [
          { id: 'in', type: 'http', config: { types: ['reading.*'] } },
          { id: 'hot', type: 'filter', config: { expression: 'data.t > 8' } },
          { id: 'conv', type: 'transform', process: 'cloud', config: { expression: "{'celsius': data.t}", type: 'reading.converted' } },
          { id: 'seen', type: 'debug' },
          { id: 'out', type: 'debug' },
        ],
        [
          ['in', 'hot'],
          ['hot', 'seen'],
          ['hot', 'conv'],
          ['conv', 'out'],
        ],
      ),
    );
    const [cold, hot] = (await engine.publish([reading(3), reading(9)])).map((r) => r.event);
    await engine.publish([{ type: 'other.thing', source: 'x', data: { t: 99 } }]);
    const derived = await until(async () => (await all(store, { flowId: flow.id })).find((e) => e.nodeId === 'conv'));
    await until(() => debug.some((m) => m.nodeId === 'out'));

    expect(derived.causationId).toBe(hot!.id);
    expect(derived.correlationId).toBe(hot!.correlationId);
    expect(derived.type).toBe('reading.converted');
    expect(derived.data).toEqual({ celsius: 9 });
    expect(derived.process).toBe('cloud');
    expect(happenedBefore(hot!.vectorClock, derived.vectorClock)).toBe(true);
    expect(derived.flowId).toBe(flow.id);
    expect(derived.revision).toBe(1);
    // The filter passed the very event on, not a copy with a new id; the cold one and the other type went nowhere.
    expect(debug.filter((m) => m.nodeId === 'seen').map((m) => m.event.id)).toEqual([hot!.id]);
    expect(debug.filter((m) => m.nodeId === 'out').map((m) => m.event.id)).toEqual([derived.id]);
    expect(cold).toBeDefined();
    expect((await all(store, { flowId: flow.id })).filter((e) => e.nodeId === 'conv')).toHaveLength(1);

    const status = engine.status(flow.id);
    expect(status.state).toBe('running');
    expect(status.nodes.hot).toMatchObject({ in: 2, out: 1, errors: 0 });
    expect(status.nodes.conv).toMatchObject({ in: 1, out: 1 });
  });

  it('sends a failing node input to $deadletter with the error and keeps the bus flowing', async () => {
    const { engine, store } = await setup();
    const flow = await deploy(
      engine,
      store,
      flowOf(
        [
          { id: 'in', type: 'http', config: { types: ['reading.*'] } },
          { id: 'fn', type: 'function', config: { code: "if (event.data.t < 0) throw new Error('negative reading'); return {type: 'ok', data: event.data};" } },
        ],
        [['in', 'fn']],
      ),
    );
    const [bad] = (await engine.publish([reading(-1)])).map((r) => r.event);
    await engine.publish([reading(5)]);
    const ok = await until(async () => (await all(store, { flowId: flow.id, types: ['ok'] }))[0]);
    const [letter] = await store.readStream(DEADLETTER_STREAM);
    expect(ok.data).toEqual({ t: 5 });
    expect(letter).toMatchObject({ causationId: bad!.id, nodeId: 'fn', data: { error: { code: 'error', message: expect.stringContaining('negative reading') } } });
    expect((letter!.data as { event: StoredEvent }).event.id).toBe(bad!.id);
    expect(engine.status(flow.id).nodes.fn).toMatchObject({ in: 2, errors: 1 });
  });

  it('stops a cycle through an actor at the hop limit, with a dead letter', async () => {
    const { engine, store } = await setup({ hopLimit: 5 });
    const flow = await deploy(
      engine,
      store,
      flowOf(
        [
          { id: 'in', type: 'http', config: { types: ['ping'] } },
          { id: 'echo', type: 'actor', config: { key: "'one'", initialState: { n: 0 }, reducer: "return {state: {n: state.n + 1}, emit: [{type: 'ping', data: {n: state.n + 1}}]};" } },
        ],
        [
          ['in', 'echo'],
          ['echo', 'echo'],
        ],
      ),
    );
    await engine.publish([{ type: 'ping', source: 'test' }]);
    const [letter] = await until(async () => {
      const letters = await store.readStream(DEADLETTER_STREAM);
      return letters.length > 0 && letters;
    });
    expect(letter!.data).toMatchObject({ error: { code: 'hop_limit' } });
    const pings = await all(store, { flowId: flow.id, types: ['ping'] });
    expect(pings).toHaveLength(5);
    expect(pings.map((p) => p.metadata.hops)).toEqual([1, 2, 3, 4, 5]);
  });

  it('delivers a shared input to handlers in priority order, higher first', async () => {
    const { engine, store } = await setup();
    const code = (name: string) => `return {type: '${name}', data: {}};`;
    const flow = await deploy(
      engine,
      store,
      flowOf(
        [
          { id: 'in', type: 'http', config: { types: ['go'] } },
          { id: 'low', type: 'function', config: { code: code('low'), priority: 1 } },
          { id: 'high', type: 'function', config: { code: code('high'), priority: 10 } },
        ],
        [
          ['in', 'low'],
          ['in', 'high'],
        ],
      ),
    );
    await engine.publish([{ type: 'go', source: 'test' }]);
    const out = await until(async () => {
      const events = await all(store, { flowId: flow.id });
      return events.length === 2 && events;
    });
    expect(out.map((e) => e.type)).toEqual(['high', 'low']);
  });

  it('batches events and emits one event caused by the batch', async () => {
    const { engine, store } = await setup();
    const flow = await deploy(
      engine,
      store,
      flowOf(
        [
          { id: 'in', type: 'http', config: { types: ['reading.*'] } },
          { id: 'b', type: 'batch', config: { size: 3, timeoutMs: 0, type: 'readings.batched' } },
        ],
        [['in', 'b']],
      ),
    );
    const published = (await engine.publish([reading(1), reading(2), reading(3), reading(4)])).map((r) => r.event);
    const [batch] = await until(async () => {
      const e = await all(store, { flowId: flow.id });
      return e.length > 0 && e;
    });
    expect(batch!.data).toMatchObject({ count: 3 });
    expect(batch!.causationId).toBe(published[2]!.id);
    expect(batch!.metadata.causes).toEqual(published.slice(0, 3).map((e) => e.id));
    for (const e of published.slice(0, 3)) expect(happenedBefore(e.vectorClock, batch!.vectorClock)).toBe(true);
  });

  it('appends to a named stream with a store sink', async () => {
    const { engine, store } = await setup();
    await deploy(
      engine,
      store,
      flowOf(
        [
          { id: 'in', type: 'http', config: { types: ['alert.*'] } },
          { id: 's', type: 'store', config: { stream: 'alerts', expectVersion: true } },
        ],
        [['in', 's']],
      ),
    );
    await engine.publish([{ type: 'alert.raised', source: 't', data: { n: 1 } }]);
    await until(async () => (await store.readStream('alerts')).length === 1);
    await engine.publish([{ type: 'alert.raised', source: 't', data: { n: 2 } }]);
    const stream = await until(async () => {
      const s = await store.readStream('alerts');
      return s.length === 2 && s;
    });
    expect(stream.map((e) => [e.version, e.data])).toEqual([
      [1, { n: 1 }],
      [2, { n: 2 }],
    ]);
  });
});
