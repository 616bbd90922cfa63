/**
 * `POST /api/flows/test` against a real server on PostgreSQL: an unsaved flow (http → filter → function → webhook,
 * and a debug beside the filter) run on hand-written events, events by id and the last events of a source. Each node
 * answers what it received, emitted and failed on; the webhook's request is recorded, never sent (a local receiver
 * counts none); and nothing of the test appears in the live event log. A flow that loops for ever, or derives
 * without end, answers per-node errors or `stopped` within its limits; a document that does not compile, a 422.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Causeway } from '../start.js';
import { databaseAvailable } from '../store/postgres/testing/database.js';
import { freshDatabase } from '../testing/replicas.js';
import { startTestServer } from '../testing/test-server.js';
import { CE, cloudEvent } from './testing/bodies.js';
import { client } from './testing/client.js';

const available = await databaseAvailable();

let server: Causeway;
let api: ReturnType<typeof client>;
let drop: (() => Promise<void>) | undefined;
let receiver: Server;
let received = 0;
let hookUrl = '';

beforeAll(async () => {
  if (!available) return;
  receiver = createServer((req, res) => {
    received++;
    req.resume();
    res.end('ok');
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  const database = await freshDatabase();
  drop = database.drop;
  server = await startTestServer({ store: { url: database.url } });
  api = client(server.url);
});
afterAll(async () => {
  await server?.close();
  await drop?.();
  receiver?.close();
});

const CODE = `if (event.data.t > 50) throw new Error('too hot: ' + event.data.t);
return { type: 'reading.checked', data: { t: event.data.t, ok: true } };`;

/** Never saved: the test runs the document as drawn. */
const unsaved = () => ({
  name: 'checks',
  nodes: [
    { id: 'in', type: 'http', config: { types: ['reading.*'] } },
    { id: 'warm', type: 'filter', config: { expression: 'data.t > 8' } },
    { id: 'check', type: 'function', config: { code: CODE } },
    { id: 'hook', type: 'http-request', config: { url: hookUrl, method: 'POST' } },
    { id: 'show', type: 'debug', config: {} },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'warm' },
    { id: 'e2', source: 'warm', target: 'check' },
    { id: 'e3', source: 'check', target: 'hook' },
    { id: 'e4', source: 'in', target: 'show' },
  ],
});

const reading = (id: string, t: number) => ({ event: { id, type: 'reading.recorded', source: 'test://fridge', data: { t } } });
const ids = (events: { id: string }[]) => events.map((e) => e.id);

describe.skipIf(!available)('testing a flow as drawn, in dry-run', () => {
  it('answers what each node received, emitted and failed on, records the webhook without sending it, and writes nothing live', async () => {
    const headBefore = (await api.get('/api/events?limit=1000')).json.events.length;
    const res = await api.post('/api/flows/test', { flow: unsaved(), inputs: [reading('cold', 3), reading('warm', 20), reading('hot', 90)] });
    expect(res.status).toBe(200);
    const { nodes, effects, debug, stopped, inputs } = res.json;
    expect(stopped).toBeNull();
    expect(inputs).toBe(3);

    expect(ids(nodes.in.received)).toEqual(['cold', 'warm', 'hot']);
    expect(ids(nodes.warm.received)).toEqual(['cold', 'warm', 'hot']);
    // The filter passes on the same events, by its `out` port.
    expect(nodes.warm.emitted.map((o: { port: string; event: { id: string } }) => `${o.port}:${o.event.id}`)).toEqual(['out:warm', 'out:hot']);
    expect(nodes.warm.errors).toEqual([]);
    expect(ids(nodes.check.received)).toEqual(['warm', 'hot']);
    // The function derived one event from `warm` and failed on `hot`: the error is on its node, with the input.
    expect(nodes.check.emitted).toHaveLength(1);
    expect(nodes.check.emitted[0].event).toMatchObject({ type: 'reading.checked', data: { t: 20, ok: true }, causationId: 'warm', nodeId: 'check' });
    expect(nodes.check.errors).toHaveLength(1);
    expect(nodes.check.errors[0]).toMatchObject({ eventId: 'hot' });
    expect(nodes.check.errors[0].message).toContain('too hot: 90');
    expect(nodes.check.counts).toEqual({ received: 2, emitted: 1, errors: 1 });
    expect(ids(nodes.hook.received)).toEqual([nodes.check.emitted[0].event.id]);
    expect(nodes.show.counts.received).toBe(3);
    expect(debug.map((d: { nodeId: string }) => d.nodeId)).toEqual(['show', 'show', 'show']);

    expect(effects).toHaveLength(1);
    expect(effects[0]).toMatchObject({ kind: 'http-request', nodeId: 'hook', url: hookUrl, method: 'POST', eventId: nodes.check.emitted[0].event.id });
    expect(received).toBe(0);

    const after = await api.get('/api/events?limit=1000');
    expect(after.json.events).toHaveLength(headBefore);
    for (const id of ['cold', 'warm', 'hot', nodes.check.emitted[0].event.id]) expect((await api.get(`/api/events/${id}`)).status).toBe(404);
    expect(after.json.events.some((e: { stream: string }) => e.stream === '$deadletter')).toBe(false);
  });

  it('runs stored events by id and the last events of a source, which stay as they were', async () => {
    const published = [cloudEvent({ type: 'reading.recorded', data: { t: 30 } }), cloudEvent({ type: 'reading.recorded', data: { t: 99 } })];
    for (const e of published) expect((await api.post('/api/events', e, CE)).status).toBe(202);
    const countBefore = (await api.get('/api/events?limit=1000')).json.events.length;

    const byId = await api.post('/api/flows/test', { flow: unsaved(), inputs: [{ eventId: published[0]!.id }] });
    expect(byId.status).toBe(200);
    expect(ids(byId.json.nodes.check.received)).toEqual([published[0]!.id]);

    const last = await api.post('/api/flows/test', { flow: unsaved(), inputs: [{ source: 'in', last: 2 }] });
    expect(last.status).toBe(200);
    expect(ids(last.json.nodes.in.received)).toEqual(published.map((e) => e.id));
    expect(last.json.nodes.check.errors.map((e: { eventId: string }) => e.eventId)).toEqual([published[1]!.id]);
    expect((await api.get('/api/events?limit=1000')).json.events).toHaveLength(countBefore);
    expect(received).toBe(0);
  });

  it('bounds a function that loops for ever: a per-node error, and the server answers meanwhile', async () => {
    const flow = unsaved();
    flow.nodes[2] = { id: 'check', type: 'function', config: { code: 'for (;;) {}', timeoutMs: 100 } as never };
    const started = Date.now();
    const res = await api.post('/api/flows/test', { flow, inputs: [reading('spin', 20)] });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(res.json.nodes.check.errors).toHaveLength(1);
    expect(res.json.nodes.check.errors[0].eventId).toBe('spin');
  });

  it('refuses what cannot run with a 4xx naming why', async () => {
    const bad = unsaved();
    bad.nodes[1] = { id: 'warm', type: 'filter', config: { expression: 'data.t >' } };
    const compileFailed = await api.post('/api/flows/test', { flow: bad, inputs: [reading('x', 1)] });
    expect(compileFailed.status).toBe(422);
    expect(compileFailed.json.error.code).toBe('compile_failed');
    expect(compileFailed.json.errors[0].nodeId).toBe('warm');

    const notSource = await api.post('/api/flows/test', { flow: unsaved(), inputs: [{ source: 'warm', event: { type: 'reading.recorded' } }] });
    expect(notSource.status).toBe(400);
    expect(notSource.json.error.code).toBe('not_a_source');

    const missing = await api.post('/api/flows/test', { flow: unsaved(), inputs: [{ eventId: 'no-such-event' }] });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('event_not_found');

    const tooMany = await api.post('/api/flows/test', { flow: unsaved(), inputs: Array.from({ length: 101 }, (_, i) => reading(`r${i}`, 1)) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.details[0].path).toBe('inputs');
  });
});
