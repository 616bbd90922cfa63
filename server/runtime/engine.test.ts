import { afterEach, describe, expect, it } from 'vitest';
import { happenedBefore } from '../../shared/clock.js';
import type { StoredEvent } from '../../shared/event.js';
import type { FlowDraft, FlowEdge, FlowNode } from '../../shared/flow.js';
import { openStore } from '../store/index.js';
import type { EventStore } from '../store/types.js';
import { DEADLETTER_STREAM } from './derive.js';
import { Engine, EngineError, type EngineOptions } from './engine.js';
import { checkpointKey, type DebugMessage } from './flow-runtime.js';

const open: { engine: Engine; store: EventStore }[] = [];
afterEach(async () => {
  for (const { engine, store } of open.splice(0)) {
    await engine.close();
    await store.close();
  }
});

async function setup(options: Partial<EngineOptions> = {}, store?: EventStore) {
  const s = store ?? (await openStore('memory:'));
  const engine = new Engine({ store: s, ...options });
  open.push({ engine, store: s });
  return { engine, store: s };
}

let flowSeq = 0;
function flowOf(nodes: Partial<FlowNode>[], wires: [string, string, string?][]): FlowDraft & { id: string } {
  return {
    id: `f-test-${++flowSeq}`,
    name: 'test',
    description: '',
    nodes: nodes.map((n) => ({ name: '', process: 'main', position: { x: 0, y: 0 }, config: {}, ...n }) as FlowNode),
    edges: wires.map(([source, target, port], i): FlowEdge => ({ id: `e${i + 1}`, source, sourcePort: port ?? 'out', target, targetPort: 'in' })),
  };
}

/** http in → transform `conv`, which derives `reading.converted` events with `expression`. */
const httpToTransform = (expression: string) =>
  flowOf(
    [
      { id: 'in', type: 'http', config: { types: ['reading.*'] } },
      { id: 'conv', type: 'transform', config: { expression, type: 'reading.converted' } },
    ],
    [['in', 'conv']],
  );

async function deploy(engine: Engine, store: EventStore, flow: FlowDraft & { id: string }) {
  const saved = await store.flows.create(flow);
  const result = await engine.deploy(saved);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return saved;
}

async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function all(store: EventStore, filter: Parameters<EventStore['read']>[0] = {}): Promise<StoredEvent[]> {
  return store.read({ limit: 10_000, ...filter });
}

const reading = (t: number, extra: Record<string, unknown> = {}) => ({ type: 'reading.recorded', source: 'test://sensor', data: { t, ...extra } });

describe('publishing', () => {
  it('stamps an external event with the engine process clock, its own correlation, and stores it before resolving', async () => {
    const { engine, store } = await setup();
    const [a] = await engine.publish([reading(1)]);
    const [b] = await engine.publish([{ ...reading(2), subject: 'sensor-9' }]);
    expect(a!.event.process).toBe('main');
    expect(a!.event.vectorClock).toEqual({ main: 1 });
    expect(b!.event.vectorClock).toEqual({ main: 2 });
    expect(a!.event.correlationId).toBe(a!.event.id);
    expect(a!.event.stream).toBe('test://sensor');
    expect(b!.event.stream).toBe('sensor-9');
    expect(await store.get(a!.event.id)).toEqual(a!.event);
  });

  it('adopts a device clock that moves the device on, and merges one that does not', async () => {
    const { engine } = await setup();
    const [first] = await engine.publish([{ ...reading(1), process: 'sensor-7', vectorClock: { 'sensor-7': 5, main: 2 } }]);
    expect(first!.event.vectorClock).toEqual({ 'sensor-7': 5, main: 2 });
    const [stale] = await engine.publish([{ ...reading(1), process: 'sensor-7', vectorClock: { 'sensor-7': 3 } }]);
    expect(stale!.event.vectorClock['sensor-7']).toBe(6);
    expect(happenedBefore(first!.event.vectorClock, stale!.event.vectorClock)).toBe(true);
  });

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

  it('resumes every process counter from the store after a restart', async () => {
    const store = await openStore('memory:');
    const first = new Engine({ store });
    await first.publish([reading(1), reading(2)]);
    await first.close();
    const { engine } = await setup({}, store);
    const [next] = await engine.publish([reading(3)]);
    expect(next!.event.vectorClock.main).toBe(3);
  });
});

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
});

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

  it('a timer emits its event every interval', async () => {
    const { engine, store } = await setup();
    const flow = await deploy(engine, store, flowOf([{ id: 't', type: 'timer', config: { intervalMs: 10, type: 'tick', data: { hello: 1 } } }], []));
    const ticks = await until(async () => {
      const e = await all(store, { flowId: flow.id });
      return e.length >= 3 && e;
    });
    expect(ticks.every((t) => t.type === 'tick' && (t.data as { hello: number }).hello === 1)).toBe(true);
  });
});

describe('what one input may derive', () => {
  /** http in → function `fn` running `code` on every reading. */
  const httpToFunction = (code: string) =>
    flowOf(
      [
        { id: 'in', type: 'http', config: { types: ['reading.*'] } },
        { id: 'fn', type: 'function', config: { code } },
      ],
      [['in', 'fn']],
    );

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
