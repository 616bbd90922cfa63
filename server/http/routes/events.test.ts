/**
 * Publishing and reading events by their CloudEvents identity (source and id), through the app in-process on the
 * memory store.
 */
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config.js';
import { silentLogger } from '../../logger.js';
import { createMetrics } from '../../metrics.js';
import { Engine } from '../../runtime/engine.js';
import { openMemoryStore } from '../../store/index.js';
import { createApp } from '../app.js';

let engine: Engine;
let app: ReturnType<typeof createApp>;

beforeEach(() => {
  const store = openMemoryStore();
  engine = new Engine({ store });
  const config = loadConfig({ env: {}, cwd: tmpdir() });
  app = createApp({ engine, store, config, metrics: createMetrics({ defaultMetrics: false }), logger: silentLogger() });
});
afterEach(async () => {
  await engine.close();
});

const reading = (over: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: 'reading-1',
  source: 'test://sensor-1',
  type: 'reading.recorded',
  data: { t: 4.2 },
  ...over,
});

async function publish(events: unknown, batch = Array.isArray(events)) {
  const res = await app.request('/api/events', {
    method: 'POST',
    headers: { 'content-type': batch ? 'application/cloudevents-batch+json' : 'application/cloudevents+json' },
    body: JSON.stringify(events),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function get(path: string) {
  const res = await app.request(path);
  return { status: res.status, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('publishing events by source and id', () => {
  it('stores the same id from two sources as two events: both 202, at different positions', async () => {
    const one = await publish(reading({ source: 'test://sensor-1', data: { t: 1 } }));
    const two = await publish(reading({ source: 'test://sensor-2', data: { t: 2 } }));
    expect([one.status, two.status]).toEqual([202, 202]);
    const [a, b] = [one.json.events[0], two.json.events[0]];
    expect(a.id).toBe('reading-1');
    expect(b.id).toBe('reading-1');
    expect(b.position).not.toBe(a.position);

    expect((await get('/api/events/reading-1')).json).toMatchObject({ source: 'test://sensor-1', data: { t: 1 }, position: a.position });
    const second = await get(`/api/events/reading-1?source=${encodeURIComponent('test://sensor-2')}`);
    expect(second.json).toMatchObject({ source: 'test://sensor-2', data: { t: 2 }, position: b.position });
    const causality = await get(`/api/events/reading-1/causality?source=${encodeURIComponent('test://sensor-2')}`);
    expect(causality.json.event.position).toBe(b.position);
    const missing = await get(`/api/events/reading-1?source=${encodeURIComponent('test://sensor-3')}`);
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toContain('test://sensor-3');
  });

  it('answers a source and id published again with the same content with the stored event, and with other content 409 naming both', async () => {
    // Without a time, each delivery is stamped with its own: a retry is still the same event.
    const first = await publish(reading());
    await new Promise((resolve) => setTimeout(resolve, 5));
    const retry = await publish(reading());
    expect(retry.status).toBe(202);
    expect(retry.json).toEqual(first.json);

    const other = await publish(reading({ data: { t: 9.9 }, subject: 'fridge-2' }));
    expect(other.status).toBe(409);
    const { code, message, details } = other.json.error;
    expect(code).toBe('duplicate_conflict');
    expect(message).toContain(`position ${first.json.events[0].position}`);
    expect(details).toEqual([
      expect.objectContaining({
        source: 'test://sensor-1',
        id: 'reading-1',
        fields: ['subject', 'stream', 'data'],
        first: { index: null, position: first.json.events[0].position, stream: 'test://sensor-1' },
        second: { index: 0, stream: 'fridge-2' },
      }),
    ]);
    expect((await get('/api/events?limit=10')).json.events).toHaveLength(1);
  });

  it('refuses a batch whose events repeat a source and id with other content with 409 naming both indexes, storing none of it', async () => {
    const batch = [reading({ id: 'a' }), reading({ id: 'b' }), reading({ id: 'a', data: { t: 5 } })];
    const res = await publish(batch);
    expect(res.status).toBe(409);
    expect(res.json.error.details[0]).toMatchObject({ id: 'a', fields: ['data'], first: { index: 0, position: null }, second: { index: 2 } });
    expect((await get('/api/events?limit=10')).json.events).toEqual([]);

    const same = await publish([reading({ id: 'a' }), reading({ id: 'a', source: 'test://sensor-2' }), reading({ id: 'a' })]);
    expect(same.status).toBe(202);
    expect(same.json.events.map((e: { position: number }) => e.position)).toEqual([1, 2, 1]);
  });
});

describe('a flow fed events of two sources that share an id', () => {
  it('derives an event from each of them: their derived ids differ', async () => {
    const flow = {
      name: 'convert',
      nodes: [
        { id: 'in', type: 'http', config: { types: ['reading.*'] } },
        { id: 'conv', type: 'transform', config: { expression: "{'celsius': data.t}", type: 'reading.converted' } },
      ],
      edges: [{ id: 'e1', source: 'in', target: 'conv' }],
    };
    const created = await app.request('/api/flows', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(flow) });
    const { id: flowId } = (await created.json()) as { id: string };
    expect((await app.request(`/api/flows/${flowId}/deploy`, { method: 'POST' })).status).toBe(200);

    expect((await publish(reading({ source: 'test://sensor-1', data: { t: 1 } }))).status).toBe(202);
    expect((await publish(reading({ source: 'test://sensor-2', data: { t: 2 } }))).status).toBe(202);
    await vi.waitFor(async () => expect((await get('/api/events?type=reading.converted')).json.events).toHaveLength(2), { timeout: 5000, interval: 20 });
    const derived = (await get('/api/events?type=reading.converted')).json.events as { id: string; data: unknown; causationId: string }[];
    expect(derived.map((e) => e.data)).toEqual([{ celsius: 1 }, { celsius: 2 }]);
    expect(derived[0]!.id).not.toBe(derived[1]!.id);
    expect(derived.map((e) => e.causationId)).toEqual(['reading-1', 'reading-1']);
  });
});
