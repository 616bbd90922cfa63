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
    expect(valueOf(text, /^active_handlers /)).toBe(2);
    expect(valueOf(text, /^flows_running /)).toBe(1);
    // Scraping again does not count the same inputs twice.
    expect(valueOf(await metrics.text(), /^events_processed_total\{flow_id="f-metrics",node_id="conv"\}/)).toBe(2);
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
