/**
 * The public HTTP contract (API.md) against a real server on a random port: every route but replays and
 * imports, and every error status a client can meet.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Causeway } from '../start.js';
import { startTestServer } from '../testing/test-server.js';
import { CE, CE_BATCH, cloudEvent, pipelineFlow } from './testing/bodies.js';
import { client, readSse, waitFor } from './testing/client.js';

let server: Causeway;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  server = await startTestServer({ bus: { bodyLimitBytes: 64 * 1024, batchBodyLimitBytes: 256 * 1024 } });
  api = client(server.url);
});
afterAll(async () => server?.close());

const errorOf = (json: unknown) => (json as { error: { code: string; message: string; details: unknown[] } }).error;

describe('health, metrics and the palette', () => {
  it('answers health with the process, store kind and version', async () => {
    const res = await api.get('/api/health');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'ok', process: 'main', store: 'sqlite' });
    expect(typeof res.json.version).toBe('string');
  });

  it('serves Prometheus metrics including the event counters', async () => {
    await api.post('/api/events', cloudEvent(), CE);
    const res = await api.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    for (const name of ['events_published_total', 'events_processed_total', 'event_processing_duration_seconds', 'event_store_operations_total', 'active_handlers']) {
      expect(res.text).toContain(name);
    }
    expect(res.text).toMatch(/events_published_total\{origin="http"\} [1-9]/);
  });

  it('lists every node type with its kind, ports and config schema', async () => {
    const res = await api.get('/api/node-types');
    expect(res.status).toBe(200);
    const types = res.json.nodeTypes.map((t: { type: string }) => t.type);
    expect(types).toEqual(expect.arrayContaining(['http', 'mqtt', 'timer', 'simulator', 'filter', 'transform', 'router', 'batch', 'throttle', 'dedupe', 'function', 'actor', 'debug', 'mqtt-publish', 'http-request', 'store']));
    const router = res.json.nodeTypes.find((t: { type: string }) => t.type === 'router');
    expect(router.kind).toBe('processor');
    expect(router.outputs).toContain('otherwise');
    expect(router.configSchema.properties.rules).toBeDefined();
  });

  it('answers an unknown API route with a JSON 404', async () => {
    const res = await api.get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(errorOf(res.json).code).toBe('not_found');
  });
});

describe('flows', () => {
  it('creates a flow with an id and revision 1, and lists it', async () => {
    const created = await api.post('/api/flows', pipelineFlow('list me'));
    expect(created.status).toBe(201);
    expect(created.json.id).toMatch(/^f-/);
    expect(created.json.revision).toBe(1);
    expect(created.headers.get('etag')).toBe('"1"');
    const list = await api.get('/api/flows');
    expect(list.json.flows).toContainEqual({ id: created.json.id, name: 'list me', revision: 1, deployedRevision: null, status: 'stopped' });
  });

  it('returns a flow with its revision as ETag, and 404 for an unknown one', async () => {
    const { json: flow } = await api.post('/api/flows', pipelineFlow());
    const got = await api.get(`/api/flows/${flow.id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe('"1"');
    expect(got.json.nodes.map((n: { id: string }) => n.id)).toEqual(['in', 'warm', 'conv', 'keep']);
    expect((await api.get('/api/flows/f-missing')).status).toBe(404);
  });

  it('saves a new revision with If-Match, refuses a stale one with 412 and a missing one with 428', async () => {
    const { json: flow } = await api.post('/api/flows', pipelineFlow('v1'));
    const saved = await api.put(`/api/flows/${flow.id}`, { ...pipelineFlow('v2') }, { 'if-match': '"1"' });
    expect(saved.status).toBe(200);
    expect(saved.json.revision).toBe(2);
    expect(saved.headers.get('etag')).toBe('"2"');

    const stale = await api.put(`/api/flows/${flow.id}`, pipelineFlow('v3'), { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(errorOf(stale.json).code).toBe('revision_conflict');
    expect(stale.headers.get('etag')).toBe('"2"');

    const missing = await api.put(`/api/flows/${flow.id}`, pipelineFlow('v3'));
    expect(missing.status).toBe(428);
    expect(errorOf(missing.json).message).toContain('If-Match');

    expect((await api.put('/api/flows/f-nope', pipelineFlow(), { 'if-match': '"1"' })).status).toBe(404);
  });

  it('refuses a flow without a name with 400 naming the field', async () => {
    const res = await api.post('/api/flows', { nodes: [] });
    expect(res.status).toBe(400);
    expect(errorOf(res.json).message).toMatch(/^name/);
    expect(errorOf(res.json).details).toContainEqual(expect.objectContaining({ path: 'name' }));
    const badNode = await api.post('/api/flows', { name: 'x', nodes: [{ id: 'a b', type: 'http' }] });
    expect(badNode.status).toBe(400);
    expect(errorOf(badNode.json).message).toMatch(/^nodes\.0\.id/);
  });

  it('refuses a second flow with the same id with 409', async () => {
    const first = await api.post('/api/flows', { ...pipelineFlow(), id: 'f-fixed' });
    expect(first.status).toBe(201);
    const again = await api.post('/api/flows', { ...pipelineFlow(), id: 'f-fixed' });
    expect(again.status).toBe(409);
    expect(errorOf(again.json).message).toMatch(/^id/);
  });

  it('lists revisions newest first and fetches an old one', async () => {
    const { json: flow } = await api.post('/api/flows', pipelineFlow('first'));
    await api.put(`/api/flows/${flow.id}`, pipelineFlow('second'), { 'if-match': '"1"' });
    const list = await api.get(`/api/flows/${flow.id}/revisions`);
    expect(list.status).toBe(200);
    expect(list.json.revisions.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
    expect(typeof list.json.revisions[0].createdAt).toBe('string');
    const old = await api.get(`/api/flows/${flow.id}/revisions/1`);
    expect(old.json.name).toBe('first');
    expect(old.json.revision).toBe(1);
    expect((await api.get(`/api/flows/${flow.id}/revisions/9`)).status).toBe(404);
    const bad = await api.get(`/api/flows/${flow.id}/revisions/zero`);
    expect(bad.status).toBe(400);
    expect(errorOf(bad.json).message).toMatch(/^rev/);
  });

  it('validates a flow and reports each problem with its node and path', async () => {
    const ok = await api.post('/api/flows/validate', pipelineFlow());
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ ok: true, errors: [] });
    const broken = pipelineFlow();
    broken.nodes[1] = { id: 'warm', type: 'filter', config: { expression: 'data.t >' } };
    const bad = await api.post('/api/flows/validate', broken);
    expect(bad.status).toBe(200);
    expect(bad.json.ok).toBe(false);
    expect(bad.json.errors).toContainEqual(expect.objectContaining({ nodeId: 'warm', path: 'config.expression' }));
  });

  it('deploys, runs events through the flow, reports status, and stops', async () => {
    const { json: flow } = await api.post('/api/flows', pipelineFlow('runs'));
    const deployed = await api.post(`/api/flows/${flow.id}/deploy`);
    expect(deployed.status).toBe(200);
    expect(deployed.json.deployedRevision).toBe(1);

    const published = await api.post('/api/events', cloudEvent({ data: { t: 12 } }), CE);
    expect(published.status).toBe(202);
    const id = published.json.events[0].id;
    const derived = await waitFor(async () => {
      const res = await api.get(`/api/events?correlationId=${id}&type=reading.converted`);
      return res.json.events.length > 0 ? res.json.events[0] : null;
    });
    expect(derived).toMatchObject({ causationId: id, flowId: flow.id, nodeId: 'conv', data: { celsius: 12 } });

    const status = await api.get(`/api/flows/${flow.id}/status`);
    expect(status.json.state).toBe('running');
    expect(status.json.nodes.warm.in).toBeGreaterThanOrEqual(1);
    expect((await api.get('/api/flows')).json.flows).toContainEqual(expect.objectContaining({ id: flow.id, deployedRevision: 1, status: 'running' }));

    const stopped = await api.post(`/api/flows/${flow.id}/stop`);
    expect(stopped.status).toBe(200);
    expect((await api.get(`/api/flows/${flow.id}/status`)).json.state).toBe('stopped');
  });

  it('deploys an earlier revision when asked, and 404 for a revision that does not exist', async () => {
    const { json: flow } = await api.post('/api/flows', pipelineFlow('r1'));
    await api.put(`/api/flows/${flow.id}`, pipelineFlow('r2'), { 'if-match': '"1"' });
    const res = await api.post(`/api/flows/${flow.id}/deploy`, { revision: 1 });
    expect(res.json.deployedRevision).toBe(1);
    expect((await api.get(`/api/flows/${flow.id}/status`)).json.revision).toBe(1);
    expect((await api.post(`/api/flows/${flow.id}/deploy`, { revision: 7 })).status).toBe(404);
    const bad = await api.post(`/api/flows/${flow.id}/deploy`, { revision: 'one' });
    expect(bad.status).toBe(400);
    expect(errorOf(bad.json).message).toMatch(/^revision/);
    await api.post(`/api/flows/${flow.id}/stop`);
  });

  it('refuses to deploy a flow that does not compile with 422 and the errors list', async () => {
    const broken = pipelineFlow('broken');
    broken.nodes[2] = { id: 'conv', type: 'transform', config: { expression: '{{{', type: 'x' } };
    const { json: flow } = await api.post('/api/flows', broken);
    const res = await api.post(`/api/flows/${flow.id}/deploy`);
    expect(res.status).toBe(422);
    expect(errorOf(res.json).code).toBe('compile_failed');
    expect(res.json.errors).toContainEqual(expect.objectContaining({ nodeId: 'conv', path: 'config.expression' }));
    expect((await api.get(`/api/flows/${flow.id}/status`)).json.state).toBe('stopped');
  });

  it('deletes a running flow after stopping it', async () => {
    const { json: flow } = await api.post('/api/flows', pipelineFlow('doomed'));
    await api.post(`/api/flows/${flow.id}/deploy`);
    const res = await api.del(`/api/flows/${flow.id}`);
    expect(res.status).toBe(204);
    expect(server.engine.running()).not.toContain(flow.id);
    expect((await api.get(`/api/flows/${flow.id}`)).status).toBe(404);
    expect((await api.del(`/api/flows/${flow.id}`)).status).toBe(404);
  });

  it('answers stop and status of an unknown flow with 404', async () => {
    expect((await api.post('/api/flows/f-ghost/stop')).status).toBe(404);
    expect((await api.get('/api/flows/f-ghost/status')).status).toBe(404);
    expect((await api.post('/api/flows/f-ghost/deploy')).status).toBe(404);
  });
});

describe('publishing events', () => {
  it('acknowledges a structured event after commit with position, stream, version and clock', async () => {
    const event = cloudEvent({ stream: 'pub-1' });
    const res = await api.post('/api/events', event, CE);
    expect(res.status).toBe(202);
    const [ack] = res.json.events;
    expect(ack).toMatchObject({ id: event.id, stream: 'pub-1', version: 1 });
    expect(ack.position).toBeGreaterThan(0);
    expect(ack.vectorClock.main).toBeGreaterThan(0);
    const stored = await api.get(`/api/events/${event.id}`);
    expect(stored.json).toMatchObject({ id: event.id, type: event.type, source: event.source, data: { t: 4.2 }, position: ack.position });
  });

  it('stores a duplicate id once and answers it the same', async () => {
    const event = cloudEvent({ stream: 'dup' });
    const first = await api.post('/api/events', event, CE);
    const second = await api.post('/api/events', event, CE);
    expect(second.status).toBe(202);
    expect(second.json).toEqual(first.json);
    const inStream = await api.get('/api/streams/dup');
    expect(inStream.json.events).toHaveLength(1);
  });

  it('stores an id from two sources as two events, and answers the same source and id with other content 409 naming both', async () => {
    const id = `shared-${Math.random().toString(36).slice(2)}`;
    const first = await api.post('/api/events', cloudEvent({ id, source: 'test://a', stream: 'shared' }), CE);
    const second = await api.post('/api/events', cloudEvent({ id, source: 'test://b', stream: 'shared' }), CE);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.json.events[0].position).toBeGreaterThan(first.json.events[0].position);
    const conflict = await api.post('/api/events', cloudEvent({ id, source: 'test://b', stream: 'shared', data: { t: 0 } }), CE);
    expect(conflict.status).toBe(409);
    expect(errorOf(conflict.json)).toMatchObject({
      code: 'duplicate_conflict',
      details: [{ source: 'test://b', id, first: { position: second.json.events[0].position, stream: 'shared' }, second: { index: 0, stream: 'shared' } }],
    });
    expect((await api.get('/api/streams/shared')).json.events).toHaveLength(2);
    expect((await api.get(`/api/events/${id}?source=test%3A%2F%2Fb`)).json.position).toBe(second.json.events[0].position);
  });

  it('acknowledges a batch in order', async () => {
    const events = [cloudEvent({ stream: 'batch-s' }), cloudEvent({ stream: 'batch-s' }), cloudEvent({ stream: 'batch-s' })];
    const res = await api.post('/api/events', events, CE_BATCH);
    expect(res.status).toBe(202);
    expect(res.json.events.map((a: { id: string }) => a.id)).toEqual(events.map((e) => e.id));
    expect(res.json.events.map((a: { version: number }) => a.version)).toEqual([1, 2, 3]);
  });

  it('accepts binary mode with ce- headers and the body as data', async () => {
    const res = await api.post('/api/events', JSON.stringify({ t: 9.5 }), {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': 'bin-1',
      'ce-source': 'test://binary',
      'ce-type': 'reading.recorded',
      'ce-subject': 'fridge-9',
      'ce-process': 'fridge-9',
    });
    expect(res.status).toBe(202);
    const stored = await api.get('/api/events/bin-1');
    expect(stored.json).toMatchObject({ data: { t: 9.5 }, subject: 'fridge-9', process: 'fridge-9', source: 'test://binary' });
  });

  it('merges a producer vector clock and keeps extensions as metadata', async () => {
    const res = await api.post('/api/events', cloudEvent({ id: 'vc-1', process: 'dev-7', vectorclock: JSON.stringify({ 'dev-7': 5, other: 2 }), site: 'north' }), CE);
    expect(res.status).toBe(202);
    const stored = (await api.get('/api/events/vc-1')).json;
    expect(stored.vectorClock['dev-7']).toBeGreaterThanOrEqual(5);
    expect(stored.vectorClock.other).toBe(2);
    expect(stored.metadata.site).toBe('north');
  });

  it('refuses a stale expected version with 409 and stores nothing', async () => {
    await api.post('/api/events', cloudEvent({ stream: 'ev-409' }), CE);
    const res = await api.post('/api/events', cloudEvent({ id: 'conflicting', stream: 'ev-409', expectedversion: 0 }), CE);
    expect(res.status).toBe(409);
    expect(errorOf(res.json).code).toBe('version_conflict');
    expect((await api.get('/api/events/conflicting')).status).toBe(404);
    const ok = await api.post('/api/events', cloudEvent({ stream: 'ev-409', expectedversion: 1 }), CE);
    expect(ok.status).toBe(202);
  });

  it('refuses a bad event with 400 naming the field', async () => {
    const noType = await api.post('/api/events', { ...cloudEvent(), type: undefined }, CE);
    expect(noType.status).toBe(400);
    expect(errorOf(noType.json).message).toMatch(/^type/);
    const badSpec = await api.post('/api/events', cloudEvent({ specversion: '0.3' }), CE);
    expect(errorOf(badSpec.json).message).toMatch(/^specversion/);
    const inBatch = await api.post('/api/events', [cloudEvent(), { ...cloudEvent(), source: '' }], CE_BATCH);
    expect(inBatch.status).toBe(400);
    expect(errorOf(inBatch.json).message).toMatch(/^1\.source/);
    const badTime = await api.post('/api/events', cloudEvent({ time: 'yesterday' }), CE);
    expect(errorOf(badTime.json).message).toMatch(/^time/);
    const binary = await api.post('/api/events', '{}', { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-source': 's', 'ce-type': 't' });
    expect(binary.status).toBe(400);
    expect(errorOf(binary.json).message).toMatch(/^ce-id/);
    const notJson = await api.post('/api/events', '{"specversion":', CE);
    expect(notJson.status).toBe(400);
    expect(errorOf(notJson.json).code).toBe('invalid_json');
    const wrongType = await api.post('/api/events', 'hello', { 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(415);
  });

  it('refuses a body over the limit with 413', async () => {
    const big = cloudEvent({ data: { blob: 'x'.repeat(80 * 1024) } });
    const res = await api.post('/api/events', big, CE);
    expect(res.status).toBe(413);
    expect(errorOf(res.json).code).toBe('payload_too_large');
    expect((await api.get(`/api/events/${big.id}`)).status).toBe(404);
  });

  it('refuses a chunked body that grows past the limit with 413, and the connection answers the next request', async () => {
    const big = cloudEvent({ data: { blob: 'x'.repeat(80 * 1024) } });
    const text = JSON.stringify(big);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${server.url}/api/events`, { method: 'POST', headers: { 'content-type': CE['content-type'] } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      // No Content-Length: the size is only known while reading.
      for (let i = 0; i < text.length; i += 8192) req.write(text.slice(i, i + 8192));
      req.end();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe('payload_too_large');
    expect((await api.get(`/api/events/${big.id}`)).status).toBe(404);
    expect((await api.post('/api/events', cloudEvent(), CE)).status).toBe(202);
  });

  it('lets a published event whose type matches enter a deployed flow', async () => {
    const { json: flow } = await api.post('/api/flows', pipelineFlow('entry'));
    await api.post(`/api/flows/${flow.id}/deploy`);
    const cool = await api.post('/api/events', cloudEvent({ type: 'reading.cool', data: { t: 2 } }), CE);
    const other = await api.post('/api/events', cloudEvent({ type: 'other.thing', data: { t: 50 } }), CE);
    const warm = await api.post('/api/events', cloudEvent({ type: 'reading.warm', data: { t: 20 } }), CE);
    await waitFor(async () => (await api.get(`/api/events?correlationId=${warm.json.events[0].id}&flowId=${flow.id}`)).json.events.length > 0);
    for (const r of [cool, other]) {
      expect((await api.get(`/api/events?correlationId=${r.json.events[0].id}&flowId=${flow.id}`)).json.events).toEqual([]);
    }
    await api.post(`/api/flows/${flow.id}/stop`);
  });
});

describe('reading events', () => {
  it('filters by type, source and stream and pages with next', async () => {
    const source = `test://paging-${Date.now()}`;
    const events = Array.from({ length: 5 }, (_, i) => cloudEvent({ source, type: i % 2 ? 'page.odd' : 'page.even', stream: 'paging' }));
    await api.post('/api/events', events, CE_BATCH);
    const first = await api.get(`/api/events?source=${encodeURIComponent(source)}&limit=2`);
    expect(first.json.events.map((e: { id: string }) => e.id)).toEqual(events.slice(0, 2).map((e) => e.id));
    expect(first.json.next).toBe(first.json.events[1].position);
    const rest = await api.get(`/api/events?source=${encodeURIComponent(source)}&limit=10&after=${first.json.next}`);
    expect(rest.json.events.map((e: { id: string }) => e.id)).toEqual(events.slice(2).map((e) => e.id));
    expect(rest.json.next).toBeNull();
    const odd = await api.get(`/api/events?source=${encodeURIComponent(source)}&type=page.odd`);
    expect(odd.json.events).toHaveLength(2);
    const byWildcard = await api.get(`/api/events?source=${encodeURIComponent(source)}&type=page.*`);
    expect(byWildcard.json.events).toHaveLength(5);
  });

  it('filters by time range', async () => {
    const source = `test://times-${Date.now()}`;
    await api.post('/api/events', [cloudEvent({ source, time: '2020-01-01T00:00:00Z' }), cloudEvent({ source, time: '2021-06-01T00:00:00Z' })], CE_BATCH);
    const res = await api.get(`/api/events?source=${encodeURIComponent(source)}&from=2021-01-01T00:00:00Z&to=2022-01-01T00:00:00Z`);
    expect(res.json.events).toHaveLength(1);
    expect(res.json.events[0].time).toBe('2021-06-01T00:00:00.000Z');
  });

  it('refuses bad query parameters with 400 naming them', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=10001', 'limit'],
      ['limit=ten', 'limit'],
      ['after=-1', 'after'],
      ['from=today', 'from'],
      ['typo=1', ''],
      ['source=a&source=b', 'source'],
    ] as const) {
      const res = await api.get(`/api/events?${query}`);
      expect(res.status, query).toBe(400);
      if (field) expect(errorOf(res.json).message, query).toMatch(new RegExp(`^${field}`));
      else expect(JSON.stringify(errorOf(res.json).details)).toContain('typo');
    }
  });

  it('answers 404 for an unknown event id', async () => {
    const res = await api.get('/api/events/no-such-event');
    expect(res.status).toBe(404);
    expect(errorOf(res.json).code).toBe('not_found');
  });

  it('returns the causal past and future of an event', async () => {
    const a = cloudEvent({ id: 'cause-a', process: 'p-a' });
    await api.post('/api/events', a, CE);
    const ackA = (await api.get('/api/events/cause-a')).json;
    const b = cloudEvent({ id: 'cause-b', process: 'p-b', causationid: 'cause-a', correlationid: 'cause-a', vectorclock: JSON.stringify(ackA.vectorClock) });
    await api.post('/api/events', b, CE);
    const res = await api.get('/api/events/cause-b/causality');
    expect(res.status).toBe(200);
    expect(res.json.event.id).toBe('cause-b');
    expect(res.json.past.map((e: { id: string }) => e.id)).toContain('cause-a');
    expect(typeof res.json.concurrent).toBe('number');
    const fromA = await api.get('/api/events/cause-a/causality?limit=5');
    expect(fromA.json.future.map((e: { id: string }) => e.id)).toContain('cause-b');
    expect((await api.get('/api/events/nope/causality')).status).toBe(404);
    expect((await api.get('/api/events/cause-a/causality?limit=abc')).status).toBe(400);
  });

  it('reads a stream from a version', async () => {
    const events = Array.from({ length: 4 }, () => cloudEvent({ stream: 'stream-read' }));
    await api.post('/api/events', events, CE_BATCH);
    const res = await api.get('/api/streams/stream-read?fromVersion=3');
    expect(res.json.events.map((e: { version: number }) => e.version)).toEqual([3, 4]);
    expect((await api.get('/api/streams/stream-read?fromVersion=x')).status).toBe(400);
  });
});

describe('live streams', () => {
  it('streams stored events after a position, then live ones, with SSE ids', async () => {
    const stream = `live-${Date.now()}`;
    const before = await api.post('/api/events', cloudEvent({ stream, type: 'live.test' }), CE);
    const after = before.json.events[0].position - 1;
    const later = cloudEvent({ stream, type: 'live.test' });
    setTimeout(() => void api.post('/api/events', later, CE), 300);
    const res = await readSse(`${server.url}/api/events/live?after=${after}&type=live.test`, (m) => m.length >= 2);
    expect(res.status).toBe(200);
    expect(res.contentType).toContain('text/event-stream');
    expect(res.messages.map((m) => m.event)).toEqual(['event', 'event']);
    const ids = res.messages.map((m) => JSON.parse(m.data).id);
    expect(ids).toEqual([before.json.events[0].id, later.id]);
    expect(res.messages.map((m) => Number(m.id))).toEqual(res.messages.map((m) => JSON.parse(m.data).position));
  });

  it('resumes from Last-Event-ID', async () => {
    const stream = `resume-${Date.now()}`;
    const acks = (await api.post('/api/events', [cloudEvent({ stream, type: 'resume.test' }), cloudEvent({ stream, type: 'resume.test' })], CE_BATCH)).json.events;
    const res = await readSse(`${server.url}/api/events/live?type=resume.test`, (m) => m.length >= 1, { headers: { 'last-event-id': String(acks[0].position) } });
    expect(JSON.parse(res.messages[0]!.data).id).toBe(acks[1].id);
  });

  it('streams only new events when no position is given', async () => {
    const old = cloudEvent({ type: 'fresh.test' });
    await api.post('/api/events', old, CE);
    const fresh = cloudEvent({ type: 'fresh.test' });
    setTimeout(() => void api.post('/api/events', fresh, CE), 300);
    const res = await readSse(`${server.url}/api/events/live?type=fresh.test`, (m) => m.length >= 1);
    expect(res.messages.map((m) => JSON.parse(m.data).id)).toEqual([fresh.id]);
  });

  it('sends heartbeats while idle', async () => {
    const res = await readSse(`${server.url}/api/events/live?type=never.happens`, () => false, { timeoutMs: 700 });
    expect(res.comments.filter((c) => c === 'heartbeat').length).toBeGreaterThanOrEqual(1);
  });

  it('refuses a bad live query with 400', async () => {
    const res = await api.get('/api/events/live?after=later');
    expect(res.status).toBe(400);
    expect(errorOf(res.json).message).toMatch(/^after/);
  });

  it('streams node status and debug messages of a flow', async () => {
    const flow = pipelineFlow('with debug');
    flow.nodes.push({ id: 'show', type: 'debug', config: {} } as never);
    flow.edges.push({ id: 'e4', source: 'warm', target: 'show' } as never);
    const { json: saved } = await api.post('/api/flows', flow);
    await api.post(`/api/flows/${saved.id}/deploy`);
    const published = cloudEvent({ data: { t: 30 } });
    setTimeout(() => void api.post('/api/events', published, CE), 300);
    const res = await readSse(`${server.url}/api/flows/${saved.id}/live`, (m) => m.some((x) => x.event === 'debug') && m.filter((x) => x.event === 'status').length >= 2);
    const status = JSON.parse(res.messages.find((m) => m.event === 'status')!.data);
    expect(status.state).toBe('running');
    expect(Object.keys(status.nodes)).toEqual(expect.arrayContaining(['in', 'warm', 'show']));
    const debug = JSON.parse(res.messages.find((m) => m.event === 'debug')!.data);
    expect(debug).toMatchObject({ nodeId: 'show', event: { id: published.id } });
    expect((await api.get('/api/flows/f-unknown/live')).status).toBe(404);
    await api.post(`/api/flows/${saved.id}/stop`);
  });
});
