import mqtt from 'mqtt';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CE_BATCH, cloudEvent, pipelineFlow } from '../http/testing/bodies.js';
import { client } from '../http/testing/client.js';
import type { Flow } from '../../shared/flow.js';
import { silentLogger } from '../logger.js';
import { startCauseway, type Causeway } from '../start.js';
import { BROKER_URL, brokerAvailable } from '../transport/testing/broker.js';

const mqttReady = await brokerAvailable();

let app: Causeway;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  app = await startCauseway({
    config: { port: 0, host: '127.0.0.1', store: { url: 'sqlite::memory:' } },
    env: {},
    demo: false,
    buildWeb: false,
    logger: silentLogger(),
  });
  api = client(app.url);
});

afterAll(async () => {
  await app?.close();
});

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function replay(body: Record<string, unknown>) {
  const started = await api.post('/api/replays', body);
  expect(started.status).toBe(202);
  const id = started.json.id as string;
  return until(`replay ${id}`, async () => {
    const r = await api.get(`/api/replays/${id}`);
    return r.json.state !== 'running' ? r.json : null;
  });
}

/** A fresh pipeline flow whose http source takes `type`, deployed, with readings published and processed. */
async function incident(type: string, readings: number[]) {
  const flow = pipelineFlow(`incident ${type}`);
  flow.nodes[0]!.config = { types: [type] };
  const created = await api.post('/api/flows', flow);
  expect(created.status).toBe(201);
  const flowId = created.json.id as string;
  expect((await api.post(`/api/flows/${flowId}/deploy`)).status).toBe(200);
  const from = new Date(Date.now() - 1).toISOString();
  if (readings.length > 0) {
    const published = await api.post('/api/events', readings.map((t) => cloudEvent({ type, data: { t } })), CE_BATCH);
    expect(published.status).toBe(202);
  }
  const warm = readings.filter((t) => t > 8).length;
  // Two outputs per warm reading: the transform's and the store sink's.
  await until('every output', async () => ((await api.get(`/api/events?flowId=${flowId}`)).json.events.filter((e: { causationId: string | null }) => e.causationId).length === warm * 2 ? true : null));
  return { flowId, flow: created.json, from };
}

async function newRevision(flowId: string, change: (flow: Flow) => void) {
  const current = await api.get(`/api/flows/${flowId}`);
  const flow = current.json;
  change(flow);
  const saved = await api.put(`/api/flows/${flowId}`, flow, { 'if-match': `"${flow.revision}"` });
  expect(saved.status).toBe(200);
  return saved.json.revision as number;
}

describe('replaying a stored incident', () => {
  it('through the same revision: every output is identical', async () => {
    const { flowId, from } = await incident('same.reading', [4, 9, 12, 7, 15]);
    const result = await replay({ flowId, from, mode: 'dry-run', speed: 'max' });
    expect(result).toMatchObject({ state: 'done', input: 5, processed: 5, diff: { identical: 6, changed: 0, missing: 0, extra: 0 }, changes: [] });
  });

  it('through a revision with a lower filter threshold: exactly the newly passing readings are extra', async () => {
    const { flowId, from } = await incident('threshold.reading', [4, 6, 9, 12]);
    const revision = await newRevision(flowId, (flow) => {
      flow.nodes.find((n) => n.id === 'warm')!.config.expression = 'data.t > 5';
    });
    const result = await replay({ flowId, revision, from, mode: 'dry-run', speed: 'max' });
    expect(result.diff).toEqual({ identical: 4, changed: 0, missing: 0, extra: 2 });
    const inputs = (await api.get(`/api/events?type=threshold.reading`)).json.events as { id: string; data: { t: number } }[];
    const six = inputs.find((e) => e.data.t === 6)!;
    const extra = result.changes.filter((c: { status: string }) => c.status === 'extra');
    expect(extra.map((c: { nodeId: string }) => c.nodeId).sort()).toEqual(['conv', 'keep']);
    expect(extra.find((c: { nodeId: string }) => c.nodeId === 'conv').causationId).toBe(six.id);
  });

  it('through a revision with a changed mapping: exactly the mapped outputs are changed, with the differing field', async () => {
    const { flowId, from } = await incident('mapping.reading', [3, 10, 20]);
    const revision = await newRevision(flowId, (flow) => {
      flow.nodes.find((n) => n.id === 'conv')!.config.expression = "{'celsius': data.t, 'hot': data.t > 15}";
    });
    const result = await replay({ flowId, revision, from, mode: 'dry-run' });
    expect(result.diff).toEqual({ identical: 0, changed: 4, missing: 0, extra: 0 });
    for (const change of result.changes) {
      expect(change.fields.map((f: { path: string }) => f.path)).toEqual(['data.hot']);
    }
    expect(result.byNode).toEqual({ conv: { identical: 0, changed: 2, missing: 0, extra: 0 }, keep: { identical: 0, changed: 2, missing: 0, extra: 0 } });
  });

  it('through a revision that drops the mapping node: its outputs and their effects are missing', async () => {
    const { flowId, from } = await incident('drop.reading', [11]);
    const revision = await newRevision(flowId, (flow) => {
      flow.nodes.find((n) => n.id === 'warm')!.config.expression = 'data.t > 100';
    });
    const result = await replay({ flowId, revision, from, mode: 'dry-run' });
    expect(result.diff).toEqual({ identical: 0, changed: 0, missing: 2, extra: 0 });
  });

  it('keeps the replay events out of live queries and serves them from the replay', async () => {
    const { flowId, from } = await incident('isolated.reading', [30]);
    const before = (await api.get(`/api/events?flowId=${flowId}`)).json.events.length;
    const result = await replay({ flowId, from, mode: 'dry-run' });
    expect((await api.get(`/api/events?flowId=${flowId}`)).json.events.length).toBe(before);
    const own = await api.get(`/api/replays/${result.id}/events`);
    expect(own.status).toBe(200);
    // The input again, and the two outputs.
    expect(own.json.events).toHaveLength(3);
    expect(own.json.events.every((e: { id: string }) => typeof e.id === 'string')).toBe(true);
  });

  it('replays one correlation chain only', async () => {
    const { flowId } = await incident('chain.reading', [9, 10, 11]);
    const inputs = (await api.get(`/api/events?type=chain.reading`)).json.events as { correlationId: string }[];
    const result = await replay({ flowId, filter: { correlationId: inputs[1]!.correlationId }, mode: 'dry-run' });
    expect(result).toMatchObject({ input: 1, diff: { identical: 2, changed: 0, missing: 0, extra: 0 } });
  });

  it('spaces inputs like the originals at a finite speed', async () => {
    const { flowId } = await incident('paced.reading', []);
    const t0 = Date.now() - 60_000;
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    await api.post('/api/events', [0, 400, 800].map((ms) => cloudEvent({ type: 'paced.reading', time: at(ms), data: { t: 20 } })), CE_BATCH);
    const window = { flowId, from: at(0), to: at(1000), mode: 'dry-run' };
    const fast = Date.now();
    expect((await replay({ ...window, speed: 'max' })).input).toBe(3);
    const fastMs = Date.now() - fast;
    const paced = Date.now();
    const result = await replay({ ...window, speed: 2 });
    const pacedMs = Date.now() - paced;
    expect(result.input).toBe(3);
    // 800 ms of original spacing at twice the speed: at least 400 ms.
    expect(pacedMs).toBeGreaterThanOrEqual(400);
    expect(pacedMs).toBeGreaterThan(fastMs);
  });
});

describe('refusing bad replay requests', () => {
  it('names the field of a bad body', async () => {
    const r = await api.post('/api/replays', { flowId: 'x', mode: 'fast' });
    expect(r.status).toBe(400);
    expect(r.json.error.details[0].path).toBe('mode');
    const s = await api.post('/api/replays', { flowId: 'x', speed: -2 });
    expect(s.json.error.details[0].path).toBe('speed');
    const t = await api.post('/api/replays', { flowId: 'x', from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(t.json.error.details[0].path).toBe('to');
  });

  it('answers 404 for an unknown flow, revision or replay', async () => {
    expect((await api.post('/api/replays', { flowId: 'nope' })).status).toBe(404);
    const { flowId } = await incident('missing.reading', []);
    const r = await api.post('/api/replays', { flowId, revision: 99 });
    expect(r.status).toBe(404);
    expect(r.json.error.details[0].path).toBe('revision');
    expect((await api.get('/api/replays/unknown')).status).toBe(404);
  });
});

describe.skipIf(!mqttReady)('dry-run never reaches a real sink', () => {
  let receiver: Server;
  const received: string[] = [];
  let receiverUrl = '';

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });

  afterAll(async () => {
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('records what mqtt-publish and http-request would send, while a subscriber and a receiver get nothing; live sends', async () => {
    const topic = `causeway/replay-test/${Date.now()}`;
    const subscriber = await mqtt.connectAsync(BROKER_URL, { clientId: `replay-test-${Date.now()}` });
    const messages: string[] = [];
    subscriber.on('message', (_t, payload) => messages.push(payload.toString()));
    await subscriber.subscribeAsync(topic, { qos: 1 });
    try {
      const flow = {
        name: 'alerts out',
        nodes: [
          { id: 'in', type: 'http', config: { types: ['sink.reading'] } },
          { id: 'hot', type: 'filter', config: { expression: 'data.t > 8' } },
          { id: 'pub', type: 'mqtt-publish', config: { url: BROKER_URL, topic, qos: 1 } },
          { id: 'hook', type: 'http-request', config: { url: receiverUrl, method: 'POST', timeoutMs: 2000, retries: 0 } },
        ],
        edges: [
          { id: 'e1', source: 'in', target: 'hot' },
          { id: 'e2', source: 'hot', target: 'pub' },
          { id: 'e3', source: 'hot', target: 'hook' },
        ],
      };
      const created = await api.post('/api/flows', flow);
      const flowId = created.json.id as string;
      const from = new Date(Date.now() - 1).toISOString();
      await api.post('/api/events', [cloudEvent({ type: 'sink.reading', data: { t: 12 } }), cloudEvent({ type: 'sink.reading', data: { t: 3 } })], CE_BATCH);

      const dry = await replay({ flowId, from, mode: 'dry-run' });
      expect(dry).toMatchObject({ state: 'done', input: 2, effects: 2 });
      const effects = (await api.get(`/api/replays/${dry.id}/effects`)).json.effects as { kind: string; topic?: string; url: string }[];
      expect(effects.map((e) => e.kind).sort()).toEqual(['http-request', 'mqtt-publish']);
      expect(effects.find((e) => e.kind === 'mqtt-publish')?.topic).toBe(topic);
      await new Promise((r) => setTimeout(r, 500));
      expect(messages).toEqual([]);
      expect(received).toEqual([]);

      // The same replay, live: the subscriber and the receiver do get the hot reading (they were listening).
      const live = await replay({ flowId, from, mode: 'live' });
      expect(live).toMatchObject({ state: 'done', effects: 0 });
      await until('the live sends', async () => (messages.length === 1 && received.length === 1 ? true : null));
      expect(JSON.parse(received[0]!).data).toEqual({ t: 12 });
    } finally {
      await subscriber.endAsync();
    }
  });
});
