/**
 * Every route and its entry in the API table agree: each is called in-process, on the memory store, with a valid
 * request, and its answer parsed by the entry's schema — the status, the media type, the headers it promises, and a
 * JSON body with no field missing and none extra (the schemas of closed shapes are strict); a stream's messages by
 * the schema of their name. The cases are a record over the table's names, so a route added to the table without a
 * case here does not compile.
 */
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ApiContract, RouteName } from '../../shared/api/index.js';
import type { RouteSpec } from '../../shared/api/route.js';
import { loadConfig } from '../config.js';
import { silentLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import { Engine } from '../runtime/engine.js';
import { openMemoryStore } from '../store/index.js';
import { createApp } from './app.js';
import { contractOf } from './contract.js';
import { readSseStart, type SseMessage } from './testing/sse-messages.js';

let engine: Engine;
let app: ReturnType<typeof createApp>;
let api: ApiContract;

const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});
const CE = { 'content-type': 'application/cloudevents+json' };

/** http (reading.*) → transform → debug: published readings derive an event, which reaches the debug node. */
const flow = (name: string) => ({
  name,
  nodes: [
    { id: 'in', type: 'http', config: { types: ['reading.*'] } },
    { id: 'conv', type: 'transform', config: { expression: "{'celsius': data.t}", type: 'reading.converted' } },
    { id: 'show', type: 'debug', config: {} },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'conv' },
    { id: 'e2', source: 'conv', target: 'show' },
  ],
});

/** http (reading.*) → an HTTP request out: never deployed, only replayed, where the request is recorded, not sent. */
const effectsFlow = {
  name: 'effects',
  nodes: [
    { id: 'in', type: 'http', config: { types: ['reading.*'] } },
    { id: 'out', type: 'http-request', config: { url: 'http://127.0.0.1:9/hook', method: 'POST' } },
  ],
  edges: [{ id: 'e1', source: 'in', target: 'out' }],
};

/** http (failing.*) → a transform that cannot evaluate: every input becomes a dead letter, for the re-drive route. */
const failingFlow = {
  name: 'failing',
  nodes: [
    { id: 'in', type: 'http', config: { types: ['failing.*'] } },
    { id: 'bad', type: 'function', config: { code: "throw new Error('always')" } },
  ],
  edges: [{ id: 'e1', source: 'in', target: 'bad' }],
};

let readingCount = 0;
const reading = (time?: string) => ({ specversion: '1.0', id: `r-${++readingCount}`, source: 'test://sensor-1', type: 'reading.recorded', data: { t: 4.2 }, ...(time ? { time } : {}) });
const publish = (event: unknown) => app.request('/api/events', { method: 'POST', body: JSON.stringify(event), headers: CE });

async function until<T>(probe: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const replayStatus = async (id: string) => (await (await app.request(`/api/replays/${id}`)).json()) as { state: string; effects: number; processed: number };

let flowId: string;
let doneReplay: string;
let eventId: string;

beforeAll(async () => {
  const store = openMemoryStore();
  engine = new Engine({ store });
  const config = loadConfig({ env: {}, cwd: tmpdir() });
  app = createApp({ engine, store, config, metrics: createMetrics({ defaultMetrics: false }), logger: silentLogger() });
  api = contractOf(config);

  flowId = ((await (await app.request('/api/flows', json('POST', flow('contract')))).json()) as { id: string }).id;
  expect((await app.request(`/api/flows/${flowId}/deploy`, json('POST', {}))).status).toBe(200);
  eventId = ((await (await publish(reading())).json()) as { events: { id: string }[] }).events[0]!.id;
  await until(async () => (await store.read({ types: ['reading.converted'] })).length > 0, 'the derived event');
  const effectsId = ((await (await app.request('/api/flows', json('POST', effectsFlow))).json()) as { id: string }).id;
  doneReplay = ((await (await app.request('/api/replays', json('POST', { flowId: effectsId }))).json()) as { id: string }).id;
  const done = await until(async () => {
    const status = await replayStatus(doneReplay);
    return status.state === 'done' && status;
  }, 'the replay to end');
  // So that its effects route has some to answer.
  expect(done.effects).toBeGreaterThan(0);
});
afterAll(async () => {
  await engine?.close();
});

/** A call of a route with a valid request; a stream's reading stops when `enough` says so. */
type Called = Response | { response: Response; enough: (messages: SseMessage[]) => boolean; onMessage?: (messages: SseMessage[]) => void };
type Call = () => Called | Promise<Called>;

const get = (path: string) => () => app.request(path);
const importLog = () => app.request('/api/imports/shiviz?name=contract.log', { method: 'POST', body: 'a {"a":1}\nstarted\nb {"a":1,"b":1}\ngot it\nnot an event\n', headers: { 'content-type': 'text/plain' } });
/** The id of a fresh import. */
const importedId = async () => ((await (await importLog()).json()) as { import: { id: string } }).import.id;

const CASES: Record<RouteName, Call> = {
  health: get('/api/health'),
  whoami: get('/api/whoami'),
  cluster: get('/api/cluster'),
  metrics: get('/metrics'),
  openApi: get('/api/openapi.json'),
  docs: get('/api/docs'),
  docsFile: get('/api/docs/docs.js'),
  listFlows: get('/api/flows'),
  createFlow: () => app.request('/api/flows', json('POST', flow('another'))),
  validateFlow: () => app.request('/api/flows/validate', json('POST', flow('checked'))),
  testFlow: () => app.request('/api/flows/test', json('POST', { flow: effectsFlow, inputs: [{ event: { type: 'reading.recorded', data: { t: 1 } } }, { eventId }] })),
  getFlow: () => app.request(`/api/flows/${flowId}`),
  saveFlow: async () => {
    const current = (await (await app.request(`/api/flows/${flowId}`)).json()) as { revision: number };
    return app.request(`/api/flows/${flowId}`, json('PUT', flow('contract, renamed'), { 'if-match': `"${current.revision}"` }));
  },
  listRevisions: () => app.request(`/api/flows/${flowId}/revisions`),
  getRevision: () => app.request(`/api/flows/${flowId}/revisions/1`),
  deployFlow: () => app.request(`/api/flows/${flowId}/deploy`, json('POST', {})),
  flowStatus: () => app.request(`/api/flows/${flowId}/status`),
  nodeTraffic: () => app.request(`/api/flows/${flowId}/nodes/conv/traffic`),
  flowLive: async () => {
    let published = false;
    return {
      response: await app.request(`/api/flows/${flowId}/live`),
      // Once the first status shows the stream follows the flow, a reading reaches its debug node.
      onMessage: () => {
        if (!published) void publish(reading());
        published = true;
      },
      enough: (messages) => messages.some((m) => m.event === 'debug') && messages.some((m) => m.event === 'status'),
    };
  },
  publishEvents: () => publish(reading()),
  listEvents: get('/api/events?limit=10'),
  getEvent: () => app.request(`/api/events/${eventId}?source=${encodeURIComponent('test://sensor-1')}`),
  eventCausality: () => app.request(`/api/events/${eventId}/causality`),
  readStream: get('/api/streams/sensor-1'),
  eventsLive: async () => ({ response: await app.request('/api/events/live?after=0'), enough: (messages) => messages.length >= 2 }),
  timelineEvents: get('/api/timeline/events?order=newest&limit=100'),
  timelineSearch: get(`/api/timeline/search?${new URLSearchParams({ q: 'type = reading.* -> within 3 *', limit: '10' })}`),
  timelineDensity: get('/api/timeline/density?buckets=50'),
  startReplay: () => app.request('/api/replays', json('POST', { flowId, mode: 'dry-run', speed: 'max' })),
  listReplays: get('/api/replays'),
  getReplay: () => app.request(`/api/replays/${doneReplay}`),
  replayLive: async () => ({ response: await app.request(`/api/replays/${doneReplay}/live`), enough: (messages) => messages.some((m) => m.event === 'done') }),
  cancelReplay: async () => {
    // Two inputs an hour apart, replayed at their pace: the replay waits between them, running, until cancelled.
    await publish(reading('2026-01-01T10:00:00Z'));
    await publish(reading('2026-01-01T11:00:00Z'));
    const { id } = (await (await app.request('/api/replays', json('POST', { flowId, from: '2026-01-01T09:00:00Z', to: '2026-01-01T12:00:00Z', speed: 1 }))).json()) as { id: string };
    await until(async () => (await replayStatus(id)).processed >= 1, 'the first input');
    return app.request(`/api/replays/${id}/cancel`, { method: 'POST' });
  },
  replayEvents: () => app.request(`/api/replays/${doneReplay}/events`),
  replayEffects: () => app.request(`/api/replays/${doneReplay}/effects`),
  listDeadLetters: get('/api/deadletters?limit=10'),
  redrive: async () => {
    const failingId = ((await (await app.request('/api/flows', json('POST', failingFlow))).json()) as { id: string }).id;
    expect((await app.request(`/api/flows/${failingId}/deploy`, json('POST', {}))).status).toBe(200);
    await publish({ ...reading(), type: 'failing.one' });
    const letter = await until(async () => {
      const page = (await (await app.request(`/api/deadletters?flowId=${failingId}`)).json()) as { deadLetters: { id: string }[] };
      return page.deadLetters[0];
    }, 'the dead letter');
    return app.request('/api/deadletters/redrive', json('POST', { deadLetters: [letter.id] }));
  },
  importShiViz: () => importLog(),
  listImports: async () => {
    await importLog();
    return app.request('/api/imports');
  },
  getImport: async () => app.request(`/api/imports/${await importedId()}`),
  renameImport: async () => app.request(`/api/imports/${await importedId()}/name`, json('PUT', { name: 'contract, renamed' })),
  deleteImport: async () => app.request(`/api/imports/${await importedId()}`, { method: 'DELETE' }),
  nodeTypes: get('/api/node-types'),
  stopFlow: () => app.request(`/api/flows/${flowId}/stop`, { method: 'POST' }),
  deleteFlow: () => app.request(`/api/flows/${flowId}`, { method: 'DELETE' }),
};

const mediaType = (header: string | null) => (header ?? '').split(';')[0]!.trim();
const issuesOf = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`).join('; ');

/** A closed object answer refuses a field it does not name, and the lack of one it needs. */
function expectClosed(name: string, schema: z.ZodType, body: unknown) {
  if (!(schema instanceof z.ZodObject) || typeof body !== 'object' || body === null || Array.isArray(body)) return;
  if (!(schema.def.catchall instanceof z.ZodNever)) return;
  expect(schema.safeParse({ ...body, unexpected: true }).success, `${name}: an extra field passes the answer schema`).toBe(false);
  const required = Object.keys(schema.shape).find((key) => !schema.shape[key]!.safeParse(undefined).success);
  if (required === undefined) return;
  const { [required]: _missing, ...rest } = body as Record<string, unknown>;
  expect(schema.safeParse(rest).success, `${name}: an answer without ${required} passes`).toBe(false);
}

describe('each route answers what its schema in the API table says', () => {
  for (const [name, call] of Object.entries(CASES) as [RouteName, Call][]) {
    it(`${name}`, async () => {
      const spec: RouteSpec = api[name];
      const called = await call();
      const response = called instanceof Response ? called : called.response;
      const type = mediaType(response.headers.get('content-type'));
      expect(response.status, `${spec.method.toUpperCase()} ${spec.path}: ${response.status} ${type === 'application/json' ? await response.clone().text() : ''}`).toBe(spec.answer.status);
      for (const header of Object.keys(spec.answer.headers ?? {})) expect(response.headers.get(header), `header ${header}`).not.toBeNull();
      if (!spec.answer.content) {
        expect(await response.text()).toBe('');
        return;
      }
      const schema = spec.answer.content[type];
      expect(schema, `answered ${type}, which the table does not list`).toBeDefined();
      if (type === 'text/event-stream') {
        const onMessage = called instanceof Response ? undefined : called.onMessage;
        const enough = called instanceof Response ? () => true : called.enough;
        const { messages } = await readSseStart(response, (m) => {
          if (m.length > 0) onMessage?.(m);
          return enough(m);
        });
        expect(enough(messages), `the stream's messages: ${messages.map((m) => m.event).join(', ')}`).toBe(true);
        for (const message of messages) {
          const messageSchema = spec.messages?.[message.event];
          expect(messageSchema, `message "${message.event}", which the table does not list`).toBeDefined();
          const parsed = messageSchema!.safeParse(JSON.parse(message.data));
          expect(parsed.error ? issuesOf(parsed.error) : '', `message "${message.event}"`).toBe('');
        }
        return;
      }
      if (type !== 'application/json') {
        expect((await response.text()).length).toBeGreaterThan(0);
        return;
      }
      const body: unknown = await response.json();
      const parsed = schema!.safeParse(body);
      expect(parsed.error ? issuesOf(parsed.error) : '').toBe('');
      expectClosed(name, schema!, body);
    });
  }
});

describe('conditional reads', () => {
  it('answers a route promising 304 with no body and the ETag when If-None-Match names the latest revision, else in full', async () => {
    const promising = (Object.entries(api) as [RouteName, RouteSpec][]).filter(([, spec]) => spec.answer.notModified !== undefined).map(([name]) => name);
    expect(promising).toEqual(['getFlow']);
    const id = ((await (await app.request('/api/flows', json('POST', flow('conditional')))).json()) as { id: string }).id;
    const latest = await app.request(`/api/flows/${id}`);
    const etag = latest.headers.get('etag')!;
    const held = await app.request(`/api/flows/${id}`, { headers: { 'if-none-match': etag } });
    expect(held.status).toBe(304);
    expect(held.headers.get('etag')).toBe(etag);
    expect(await held.text()).toBe('');
    const stale = await app.request(`/api/flows/${id}`, { headers: { 'if-none-match': `"${Number(JSON.parse(etag)) + 1}"` } });
    expect(stale.status).toBe(200);
    expect(api.getFlow.answer.content['application/json'].safeParse(await stale.json()).success).toBe(true);
  });
});
