/**
 * The live streams' start, in-process on the memory store: `GET /api/events/live` catches up from `after` (or
 * `Last-Event-ID`) and then goes on live, `GET /api/flows/:id/live` opens with the flow's status; bad queries, unknown
 * flows and streams beyond the caps are refused before any stream opens.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inProcessApp, type ConfigPatch, type InProcessApp } from '../testing/in-process.js';
import { readSseStart } from '../testing/sse-messages.js';

let server: InProcessApp;
const restart = async (config: ConfigPatch = {}) => {
  await server.close();
  server = inProcessApp({ config });
};
beforeEach(() => {
  server = inProcessApp();
});
afterEach(async () => server.close());

const CE = { 'content-type': 'application/cloudevents+json' };
const publish = async (id: string, type = 'reading.recorded') => {
  const res = await server.request('POST', '/api/events', { specversion: '1.0', id, source: 'test://live', type, data: { id } }, CE);
  expect(res.status).toBe(202);
  return res.json.events[0].position as number;
};

describe('GET /api/events/live', () => {
  it('catches up from after=0 in position order, each message with its position as id, then goes on live', async () => {
    const first = await publish('a');
    const second = await publish('b');
    const res = await server.open('/api/events/live?after=0');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reading = readSseStart(res, (m) => m.length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const third = await publish('c');
    const { messages } = await reading;
    expect(messages.map((m) => [m.event, m.id])).toEqual([
      ['event', String(first)],
      ['event', String(second)],
      ['event', String(third)],
    ]);
    expect(JSON.parse(messages[2]!.data)).toMatchObject({ id: 'c', source: 'test://live', data: { id: 'c' } });
  });

  it('without after sends only what is stored from now on', async () => {
    await publish('old');
    const reading = readSseStart(await server.open('/api/events/live'), (m) => m.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await publish('new');
    const { messages } = await reading;
    expect(messages.map((m) => JSON.parse(m.data).id)).toEqual(['new']);
  });

  it('resumes after the Last-Event-ID a reconnecting client sends, and keeps to the types asked for', async () => {
    const first = await publish('a');
    await publish('b', 'alarm.raised');
    await publish('c');
    const res = await server.open('/api/events/live?type=reading.*', { 'last-event-id': String(first) });
    const { messages } = await readSseStart(res, (m) => m.length >= 1);
    expect(messages.map((m) => JSON.parse(m.data).id)).toEqual(['c']);
  });

  it('answers 400 naming a bad after, or a parameter it does not take, before any stream opens', async () => {
    for (const [query, field] of [
      ['after=-1', 'after'],
      ['after=soon', 'after'],
      ['since=0', 'since'],
    ] as const) {
      const res = await server.request('GET', `/api/events/live?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(res.json.error.message).toContain(field);
    }
  });

  it('answers 429 too_many_streams with Retry-After beyond the streams one client may open', async () => {
    await restart({ http: { maxStreamsPerClient: 1 } });
    const held = await server.open('/api/events/live');
    expect(held.status).toBe(200);
    const refused = await server.request('GET', '/api/events/live');
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('too_many_streams');
    expect(refused.headers.get('retry-after')).not.toBeNull();
    await held.body?.cancel();
  });
});

describe('GET /api/flows/:id/live', () => {
  const flow = {
    name: 'watched',
    nodes: [
      { id: 'in', type: 'http', config: { types: ['reading.*'] } },
      { id: 'out', type: 'debug', config: {} },
    ],
    edges: [{ id: 'e1', source: 'in', target: 'out' }],
  };

  it("opens with the flow's status, then sends what reaches its debug nodes", async () => {
    const created = await server.request('POST', '/api/flows', flow);
    const id = created.json.id as string;
    expect((await server.request('POST', `/api/flows/${id}/deploy`)).status).toBe(200);
    const reading = readSseStart(await server.open(`/api/flows/${id}/live`), (m) => m.some((x) => x.event === 'debug'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await publish('to-debug');
    const { messages } = await reading;
    expect(messages[0]!.event).toBe('status');
    expect(JSON.parse(messages[0]!.data)).toMatchObject({ state: 'running', revision: 1, nodes: { in: expect.any(Object), out: expect.any(Object) } });
    const debug = messages.find((m) => m.event === 'debug')!;
    expect(JSON.parse(debug.data)).toMatchObject({ nodeId: 'out', event: { id: 'to-debug' } });
  });

  it('opens with a stopped status for a flow that is not deployed', async () => {
    const id = (await server.request('POST', '/api/flows', flow)).json.id as string;
    const { messages } = await readSseStart(await server.open(`/api/flows/${id}/live`), (m) => m.length >= 1);
    expect(JSON.parse(messages[0]!.data)).toMatchObject({ state: 'stopped', revision: null });
  });

  it('answers 404 naming a flow that does not exist', async () => {
    const res = await server.request('GET', '/api/flows/f-missing/live');
    expect(res.status).toBe(404);
    expect(res.json.error.message).toContain('f-missing');
  });
});
