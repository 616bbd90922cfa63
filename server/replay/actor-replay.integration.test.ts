/**
 * Replaying a stateful flow from the middle of its history: each actor key starts from the state it had live just
 * before the first replayed input (snapshot history, then the inputs since), so a replay through the same revision
 * is identical, and one through a changed reducer differs in exactly the outputs that change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CE_BATCH, cloudEvent } from '../http/testing/bodies.js';
import { client } from '../http/testing/client.js';
import { DEMO_FLOW_ID, ensureDemo } from '../demo.js';
import { until } from '../testing/replicas.js';
import { startTestServer, type Causeway } from '../testing/test-server.js';

let app: Causeway;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  app = await startTestServer();
  api = client(app.url);
});

afterAll(async () => {
  await app?.close();
});

const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4'];
const REDUCER =
  'const total = state.total + event.data.v; return { state: { total, n: state.n + 1 }, emit: [{ type: "total", data: { k: event.data.k, total, n: state.n + 1 } }] };';

/** Runs `count` readings through http → filter → actor (key data.k, a running total), a batch at a time, a ms apart. */
async function history(count: number) {
  const created = await api.post('/api/flows', {
    name: 'running totals',
    nodes: [
      { id: 'in', type: 'http', config: { types: ['reading'] } },
      // Passes the same event on, unstored: the inputs before the range are found by asking it again.
      { id: 'big', type: 'filter', config: { expression: 'data.v > 2' } },
      // A snapshot every 20 inputs: the history holds several before the replayed range.
      { id: 'sum', type: 'actor', config: { key: 'data.k', initialState: { total: 0, n: 0 }, reducer: REDUCER, snapshotEvery: 20 } },
    ],
    edges: [
      { id: 'e1', source: 'in', target: 'big' },
      { id: 'e2', source: 'big', target: 'sum' },
    ],
  });
  expect(created.status).toBe(201);
  const flowId = created.json.id as string;
  expect((await api.post(`/api/flows/${flowId}/deploy`)).status).toBe(200);
  const start = Date.now() - count;
  const readings = Array.from({ length: count }, (_, i) => ({
    ...cloudEvent({ id: `r-${flowId}-${i}`, type: 'reading' }),
    time: new Date(start + i).toISOString(),
    data: { k: KEYS[(i * 7) % KEYS.length]!, v: (i % 13) + 1 },
  }));
  for (let i = 0; i < count; i += 50) expect((await api.post('/api/events', readings.slice(i, i + 50), CE_BATCH)).status).toBe(202);
  const passing = readings.filter((r) => r.data.v > 2);
  await until(async () => (await api.get(`/api/events?type=total&flowId=${flowId}&limit=1000`)).json.events.length === passing.length, 'every total', 30_000);
  return { flowId, readings, replayed: readings.slice(199).filter((r) => r.data.v > 2) };
}

async function replay(body: Record<string, unknown>) {
  const started = await api.post('/api/replays', body);
  expect(started.status).toBe(202);
  const id = started.json.id as string;
  return until(async () => {
    const r = await api.get(`/api/replays/${id}`);
    return r.json.state !== 'running' ? r.json : null;
  }, `replay ${id}`, 30_000);
}

describe('replaying an actor flow from the middle of its history', () => {
  it('through the same revision: every output of events 200–500 is identical', async () => {
    const { flowId, readings, replayed } = await history(500);
    const result = await replay({ flowId, from: readings[199]!.time, mode: 'dry-run', speed: 'max' });
    expect(result).toMatchObject({ state: 'done', input: 301, processed: 301, diff: { identical: replayed.length, changed: 0, missing: 0, extra: 0 }, notes: [] });
  });

  it('through a changed reducer: exactly the outputs of the key it treats differently change, in their totals', async () => {
    const { flowId, readings, replayed } = await history(500);
    const current = (await api.get(`/api/flows/${flowId}`)).json;
    current.nodes.find((n: { id: string }) => n.id === 'sum').config.reducer = REDUCER.replace('state.total + event.data.v', '(event.data.k === "k3" ? state.total + 2 * event.data.v : state.total + event.data.v)');
    const saved = await api.put(`/api/flows/${flowId}`, current, { 'if-match': `"${current.revision}"` });
    expect(saved.status).toBe(200);
    const result = await replay({ flowId, revision: saved.json.revision, from: readings[199]!.time, mode: 'dry-run', speed: 'max' });
    const ofK3 = replayed.filter((r) => r.data.k === 'k3').length;
    expect(result.diff).toEqual({ identical: replayed.length - ofK3, changed: ofK3, missing: 0, extra: 0 });
    expect(result.changes).toHaveLength(ofK3);
    for (const change of result.changes) expect(change.fields.map((f: { path: string }) => f.path)).toEqual(['data.total']);
  });
});

describe('replaying the demo flow', () => {
  it('through its own revision, from the middle of its history: every output is identical', async () => {
    // Six fridges reporting every 10 ms, an alert after three warm readings in a row, a snapshot every 10 inputs.
    await ensureDemo(app.store, app.engine, { intervalMs: 10, snapshotEvery: 10 });
    const alerts = () => api.get(`/api/events?type=fridge.alert&flowId=${DEMO_FLOW_ID}&limit=1000`);
    await until(async () => (await alerts()).json.events.length >= 10, 'a few alerts', 60_000);
    expect((await api.post(`/api/flows/${DEMO_FLOW_ID}/stop`)).status).toBe(200);
    const readings = (await api.get(`/api/events?type=fridge.reading&limit=10000`)).json.events as { time: string }[];
    const result = await replay({ flowId: DEMO_FLOW_ID, from: readings[Math.floor(readings.length / 2)]!.time, mode: 'dry-run', speed: 'max' });
    expect(result.state).toBe('done');
    expect(result.diff.identical).toBeGreaterThan(0);
    expect(result.diff).toEqual({ identical: result.diff.identical, changed: 0, missing: 0, extra: 0 });
  });
});
