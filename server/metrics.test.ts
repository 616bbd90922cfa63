import { describe, expect, it } from 'vitest';
import type { FlowDraft } from '../shared/flow.js';
import { RecentTimes, createMetrics, instrumentStore } from './metrics.js';
import { Engine } from './runtime/engine.js';
import { openMemoryStore } from './store/index.js';

const flow: FlowDraft & { id: string } = {
  id: 'f-metrics',
  name: 'metrics',
  description: '',
  nodes: [
    { id: 'in', type: 'http', name: '', process: 'main', position: { x: 0, y: 0 }, config: { types: ['reading.*'] } },
    { id: 'conv', type: 'transform', name: '', process: 'main', position: { x: 0, y: 0 }, config: { expression: "{'c': data.t}", type: 'reading.converted' } },
  ],
  edges: [{ id: 'e1', source: 'in', sourcePort: 'out', target: 'conv', targetPort: 'in' }],
};

const valueOf = (text: string, line: RegExp): number => Number(text.split('\n').find((l) => line.test(l))?.split(' ').pop() ?? NaN);

describe('metrics', () => {
  it('counts store operations by name and outcome', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const store = instrumentStore(openMemoryStore(), metrics);
    await store.head();
    await store.head();
    await store.read({ limit: 1 });
    const text = await metrics.text();
    expect(valueOf(text, /^event_store_operations_total\{operation="head",outcome="ok"\}/)).toBe(2);
    expect(valueOf(text, /^event_store_operations_total\{operation="read",outcome="ok"\}/)).toBe(1);
  });

  it('reports processed events, processing time, per-node counters and active handlers of a running flow', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const store = instrumentStore(openMemoryStore(), metrics);
    const engine = new Engine({ store });
    metrics.attach(engine);
    const saved = await store.flows.create(flow);
    expect((await engine.deploy(saved)).ok).toBe(true);
    await engine.publish([{ type: 'reading.recorded', source: 'test://s', data: { t: 1 } }, { type: 'reading.recorded', source: 'test://s', data: { t: 2 } }]);
    for (let i = 0; i < 100 && engine.status(flow.id).nodes.conv?.out !== 2; i++) await new Promise((r) => setTimeout(r, 20));
    const text = await metrics.text();
    expect(valueOf(text, /^events_processed_total\{flow_id="f-metrics",node_id="conv"\}/)).toBe(2);
    expect(valueOf(text, /^event_processing_duration_seconds_count\{flow_id="f-metrics",node_id="conv"\}/)).toBe(2);
    expect(valueOf(text, /^flow_node_events\{flow_id="f-metrics",node_id="conv",counter="out"\}/)).toBe(2);
    // A process alone is its own cluster: its replica's counters are its own.
    expect(valueOf(text, /^cluster_flow_node_events\{process="main",flow_id="f-metrics",node_id="conv",counter="out"\}/)).toBe(2);
    expect(valueOf(text, /^active_handlers /)).toBe(2);
    expect(valueOf(text, /^flows_running /)).toBe(1);
    // Scraping again does not count the same inputs twice.
    expect(valueOf(await metrics.text(), /^events_processed_total\{flow_id="f-metrics",node_id="conv"\}/)).toBe(2);
    await engine.close();
  });

  it('reports the event handlers of running flows: their nodes but sources', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const store = openMemoryStore();
    const engine = new Engine({ store });
    metrics.attach(engine);
    expect(valueOf(await metrics.text(), /^active_event_handlers /)).toBe(0);
    const fanned: FlowDraft & { id: string } = {
      ...flow,
      id: 'f-fanned',
      nodes: [...flow.nodes, { id: 'log', type: 'debug', name: '', process: 'main', position: { x: 0, y: 0 }, config: {} }],
      edges: [...flow.edges, { id: 'e2', source: 'conv', sourcePort: 'out', target: 'log', targetPort: 'in' }],
    };
    for (const f of [flow, fanned]) expect((await engine.deploy(await store.flows.create(f))).ok).toBe(true);
    const text = await metrics.text();
    expect(valueOf(text, /^active_event_handlers /)).toBe(1 + 2);
    expect(valueOf(text, /^active_handlers /)).toBe(2 + 3);
    await engine.stop(fanned.id);
    expect(valueOf(await metrics.text(), /^active_event_handlers /)).toBe(1);
    await engine.close();
  });

  it('counts the vector clocks weighed against each other: a merge per event received, a comparison per event a causality answer orders', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const store = openMemoryStore();
    const engine = new Engine({ store });
    metrics.attach(engine);
    const saved = await store.flows.create(flow);
    expect((await engine.deploy(saved)).ok).toBe(true);
    const text = await metrics.text();
    const before = { compare: valueOf(text, /^vector_clock_comparisons_total\{operation="compare"\}/), merge: valueOf(text, /^vector_clock_comparisons_total\{operation="merge"\}/) };
    expect(before).toEqual({ compare: 0, merge: 0 });

    // Two readings stamped here (a tick each, no merge), one carrying a device's clock (merged on receipt).
    const [first] = await engine.publish([
      { type: 'reading.recorded', source: 'test://s', data: { t: 1 } },
      { type: 'reading.recorded', source: 'test://s', data: { t: 2 } },
      { type: 'reading.recorded', source: 'test://s', data: { t: 3 }, process: 'sensor-1', vectorClock: { 'sensor-1': 1, main: 5 } },
    ]);
    for (let i = 0; i < 100 && engine.status(flow.id).nodes.conv?.out !== 3; i++) await new Promise((r) => setTimeout(r, 20));
    const derived = await store.read({ types: ['reading.converted'] });
    expect(derived).toHaveLength(3);
    await store.causality(first!.event.id);
    const all = await store.read();

    const after = await metrics.text();
    // Each derived event is its input received by the transform's process; the device's clock is merged once.
    expect(valueOf(after, /^vector_clock_comparisons_total\{operation="merge"\}/)).toBe(derived.length + 1);
    // The memory store's causality answer weighs every other event of the namespace against the one asked about.
    expect(valueOf(after, /^vector_clock_comparisons_total\{operation="compare"\}/)).toBe(all.length - 1);
    await engine.close();
  });

  it('keeps the registries of two servers apart', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.eventsPublished.inc({ origin: 'http' }, 3);
    expect(valueOf(await a.text(), /^events_published_total\{origin="http"\}/)).toBe(3);
    expect(await b.text()).not.toMatch(/^events_published_total\{origin="http"\}/m);
  });

  it('remembers commit times of at least the last half-capacity events and forgets older ones', () => {
    const times = new RecentTimes(10);
    for (let i = 0; i < 23; i++) times.set(`e${i}`, i);
    for (let i = 18; i < 23; i++) expect(times.get(`e${i}`)).toBe(i);
    expect(times.get('e0')).toBeUndefined();
    expect(times.get('e9')).toBeUndefined();
    times.set('e22', 99);
    expect(times.get('e22')).toBe(22);
  });
});
