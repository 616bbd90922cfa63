/**
 * A server started from a file written for the seed: each seed key changes what the running server does — its
 * process name, its metrics, the handlers a port may feed, the actors' supervision, the engine's batches and bounds.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { client, waitFor } from './http/testing/client.js';
import { silentLogger } from './logger.js';
import { engineOptionsOf, startCauseway, type Causeway } from './start.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-seed-'));
const started: Causeway[] = [];
afterAll(async () => {
  for (const server of started) await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startWith(toml: string): Promise<Causeway> {
  const file = join(dir, `seed-${started.length}.toml`);
  writeFileSync(file, toml);
  const server = await startCauseway({ argv: ['--config', file], env: {}, config: { port: 0, webDist: join(dir, 'no-web') }, demo: false, buildWeb: false, logger: silentLogger() });
  started.push(server);
  return server;
}

const SEED = `
[event_bus]
node_id = "edge-7"
buffer_size = 512
max_handlers_per_type = 2
metrics_enabled = false

[event_store]
type = "memory"
batch_size = 100
snapshot_frequency = 5

[actor_system]
max_actors = 2
actor_timeout_ms = 250
supervisor_strategy = "stop"

[processing]
batch_processing_size = 16
pipeline_parallelism = 4
processing_timeout_ms = 300
`;

const node = (id: string, type: string, config: Record<string, unknown> = {}) => ({ id, type, name: id, process: 'edge-7', position: { x: 0, y: 0 }, config });
const reading = (id: string, data: Record<string, unknown>) => ({ specversion: '1.0', id, source: 'test://seed', type: 'reading.recorded', data });

describe('a server started from the seed’s file', () => {
  it('runs as the process, store and engine the seed file names', async () => {
    const server = await startWith(SEED);
    const health = await client(server.url).get('/api/health');
    expect(health.json).toMatchObject({ process: 'edge-7', store: 'memory' });
    expect(server.config.userCode.expressionTimeoutMs).toBe(300);
    expect(server.config.processing.partitions).toBe(4);
    expect(engineOptionsOf(server.config)).toMatchObject({
      process: 'edge-7',
      queueCapacity: 512,
      batchSize: 16,
      maxLiveKeys: 2,
      maxHandlersPerPort: 2,
      nodeDefaults: { actor: { strategy: 'stop', timeoutMs: 250, snapshotEvery: 5 } },
    });
    expect(server.engine.compileOptions).toMatchObject({ maxHandlersPerPort: 2, nodeDefaults: { actor: { strategy: 'stop' } } });
  });

  it('serves no /metrics and collects none when metrics_enabled is false; serves them when true', async () => {
    const off = await startWith(SEED);
    expect(off.metrics).toBeNull();
    expect((await client(off.url).get('/metrics')).status).toBe(404);

    const on = await startWith(SEED.replace('metrics_enabled = false', 'metrics_enabled = true'));
    expect(on.metrics).not.toBeNull();
    await client(on.url).get('/api/health');
    const metrics = await client(on.url).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/http_requests_total\{method="GET",route="\/api\/health",status="200"\} 1/);
  });

  it('refuses to deploy, and validation marks, a port wired to more handlers than max_handlers_per_type', async () => {
    const api = client((await startWith(SEED)).url);
    const handlers = ['a', 'b', 'c'].map((id) => node(id, 'debug'));
    const flow = {
      name: 'fan-out',
      nodes: [node('in', 'http', { types: ['reading.*'] }), ...handlers],
      edges: handlers.map((h, i) => ({ id: `e${i}`, source: 'in', sourcePort: 'out', target: h.id, targetPort: 'in' })),
    };
    const validated = await api.post('/api/flows/validate', flow);
    expect(validated.json).toMatchObject({ ok: false, errors: [{ code: 'too_many_handlers', nodeId: 'in', edgeId: 'e2' }] });
    const saved = await api.post('/api/flows', flow);
    const deployed = await api.post(`/api/flows/${saved.json.id}/deploy`);
    expect(deployed.status).toBe(422);
    expect(deployed.json.errors).toEqual([expect.objectContaining({ code: 'too_many_handlers' })]);
  });

  it('supervises an actor whose config names no strategy as supervisor_strategy says: stop refuses the key', async () => {
    const server = await startWith(SEED);
    const api = client(server.url);
    const reducer = "if (event.data.t < 0) throw new Error('bad'); return {state, emit: [{type: 'counted', data: {device: event.data.device}}]};";
    const flow = {
      name: 'supervised',
      nodes: [node('in', 'http', { types: ['reading.*'] }), node('act', 'actor', { key: 'data.device', reducer })],
      edges: [{ id: 'e0', source: 'in', sourcePort: 'out', target: 'act', targetPort: 'in' }],
    };
    const saved = await api.post('/api/flows', flow);
    expect((await api.post(`/api/flows/${saved.json.id}/deploy`)).status).toBe(200);
    for (const [id, data] of [['r1', { device: 'a', t: -1 }], ['r2', { device: 'a', t: 1 }], ['r3', { device: 'b', t: 1 }]] as const) {
      expect((await api.post('/api/events', reading(id, data), { 'content-type': 'application/cloudevents+json' })).status).toBe(202);
    }
    const letters = await waitFor(async () => {
      const events = (await api.get('/api/streams/$deadletter')).json.events as { data: { error: { code: string } } }[];
      return events.length === 2 && events;
    });
    // With the node's default (restart) the second message of "a" would have been handled, not refused.
    expect(letters.map((l) => l.data.error.code)).toEqual(['error', 'actor_stopped']);
  });
});
