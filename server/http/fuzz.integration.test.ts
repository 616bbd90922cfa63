/**
 * Malformed input on every route: thousands of random bodies, headers and query strings. Every answer is a 4xx
 * or the 2xx the contract documents for that route (never a 5xx), errors keep their JSON shape, the server stays
 * up, and no stored event changes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Causeway } from '../start.js';
import { startTestServer } from '../testing/test-server.js';
import { CE_BATCH, cloudEvent, pipelineFlow } from './testing/bodies.js';
import { client } from './testing/client.js';

let server: Causeway;
let seededIds: string[] = [];
let seeded: string;
let flowId: string;

beforeAll(async () => {
  server = await startTestServer({ bus: { bodyLimitBytes: 16 * 1024, batchBodyLimitBytes: 64 * 1024 } });
  const api = client(server.url);
  const events = Array.from({ length: 20 }, (_, i) => cloudEvent({ id: `seed-${i}`, stream: 'seeded', data: { i } }));
  await api.post('/api/events', events, CE_BATCH);
  seededIds = events.map((e) => e.id);
  seeded = JSON.stringify(await Promise.all(seededIds.map(async (id) => (await api.get(`/api/events/${id}`)).json)));
  flowId = (await api.post('/api/flows', pipelineFlow('fuzzed'))).json.id;
});
afterAll(async () => server?.close());

interface Route {
  method: string;
  path: (id: string) => string;
  /** The 2xx answers the contract documents for this route. */
  ok: number[];
  stream?: boolean;
}

const ROUTES: Route[] = [
  { method: 'GET', path: () => '/api/health', ok: [200] },
  { method: 'GET', path: () => '/api/node-types', ok: [200] },
  { method: 'GET', path: () => '/api/flows', ok: [200] },
  { method: 'POST', path: () => '/api/flows', ok: [201] },
  { method: 'POST', path: () => '/api/flows/validate', ok: [200] },
  { method: 'GET', path: (id) => `/api/flows/${id}`, ok: [200] },
  { method: 'PUT', path: (id) => `/api/flows/${id}`, ok: [200] },
  { method: 'DELETE', path: (id) => `/api/flows/${id}`, ok: [204] },
  { method: 'GET', path: (id) => `/api/flows/${id}/revisions`, ok: [200] },
  { method: 'GET', path: (id) => `/api/flows/${id}/revisions/${id.length % 3}`, ok: [200] },
  { method: 'POST', path: (id) => `/api/flows/${id}/deploy`, ok: [200] },
  { method: 'POST', path: (id) => `/api/flows/${id}/stop`, ok: [200] },
  { method: 'GET', path: (id) => `/api/flows/${id}/status`, ok: [200] },
  { method: 'GET', path: (id) => `/api/flows/${id}/live`, ok: [200], stream: true },
  { method: 'POST', path: () => '/api/events', ok: [202] },
  { method: 'GET', path: () => '/api/events', ok: [200] },
  { method: 'GET', path: (id) => `/api/events/${id}`, ok: [200] },
  { method: 'GET', path: (id) => `/api/events/${id}/causality`, ok: [200] },
  { method: 'GET', path: (id) => `/api/streams/${id}`, ok: [200] },
  { method: 'GET', path: () => '/api/events/live', ok: [200], stream: true },
  { method: 'GET', path: () => '/metrics', ok: [200] },
];

const segment = fc.oneof(
  fc.constantFrom('seed-1', 'seeded', 'f-missing', '..', '%2e%2e', '%00', '%ZZ', 'a%2Fb', '💥', ' '),
  fc.string({ maxLength: 80 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
);

const queryKey = fc.constantFrom('limit', 'after', 'from', 'to', 'type', 'source', 'process', 'stream', 'fromVersion', 'revision', 'access_token', 'x', '', '__proto__');
const queryValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer().map(String),
  fc.constantFrom('-1', '0', '1e3', '99999999999999999999', 'NaN', '2026-13-45T00:00:00Z', '2026-01-01T00:00:00Z', '%', '&&', '=='),
);
const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 5 }).map((pairs) =>
  pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`,
);

const jsonish = fc.jsonValue({ maxDepth: 4 });
const mutatedEvent = fc.record(
  {
    specversion: fc.oneof(fc.constant('1.0'), fc.string({ maxLength: 5 }), jsonish),
    id: fc.oneof(fc.string({ maxLength: 300 }), jsonish),
    source: fc.oneof(fc.string({ maxLength: 20 }), jsonish),
    type: fc.oneof(fc.string({ maxLength: 20 }), jsonish),
    time: fc.oneof(fc.string({ maxLength: 30 }), fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString()))),
    data: jsonish,
    vectorclock: fc.oneof(fc.string({ maxLength: 30 }), jsonish.map((v) => JSON.stringify(v))),
    expectedversion: fc.oneof(fc.integer(), fc.string({ maxLength: 8 })),
    process: fc.string({ maxLength: 20 }),
    stream: fc.constantFrom('seeded', 'fuzz', ''),
    extra: jsonish,
  },
  { requiredKeys: [] },
);
const mutatedFlow = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 20 }), jsonish),
    nodes: fc.oneof(jsonish, fc.array(fc.record({ id: fc.string({ maxLength: 10 }), type: fc.constantFrom('http', 'filter', 'nope', ''), config: jsonish }, { requiredKeys: [] }), { maxLength: 4 })),
    edges: jsonish,
    revision: jsonish,
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  jsonish.map((v) => JSON.stringify(v)),
  mutatedEvent.map((v) => JSON.stringify(v)),
  fc.array(mutatedEvent, { maxLength: 3 }).map((v) => JSON.stringify(v)),
  mutatedFlow.map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 200 }),
  fc.constant('x'.repeat(70 * 1024)),
);
const headers = fc.record(
  {
    'content-type': fc.constantFrom('application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json', 'text/plain', 'application/octet-stream', '', 'application/json; charset=utf-16', 'multipart/form-data'),
    'if-match': fc.oneof(fc.constantFrom('"1"', '"0"', '*', 'W/"2"', '"99999999999"'), fc.string({ maxLength: 12 })),
    'ce-specversion': fc.constantFrom('1.0', '0.3', ''),
    'ce-id': fc.string({ maxLength: 20 }),
    'ce-source': fc.string({ maxLength: 20 }),
    'ce-type': fc.string({ maxLength: 20 }),
    'ce-expectedversion': fc.string({ maxLength: 5 }),
    'ce-vectorclock': fc.string({ maxLength: 20 }),
    'last-event-id': fc.string({ maxLength: 10 }),
    authorization: fc.string({ maxLength: 20 }),
  },
  { requiredKeys: [] },
).map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => /^[\t\x20-\x7e]*$/.test(v) && v.trim() === v)));

async function send(route: Route, id: string, q: string, h: Record<string, string>, b: string | Uint8Array | undefined): Promise<{ status: number; json: unknown }> {
  const controller = new AbortController();
  const init: RequestInit = { method: route.method, headers: h, signal: controller.signal };
  if (b !== undefined && route.method !== 'GET') init.body = b as BodyInit;
  const res = await fetch(server.url + route.path(id === '' ? 'x' : id) + q, init);
  if (route.stream && res.status === 200) {
    controller.abort();
    return { status: res.status, json: null };
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

function expectDocumented(route: Route, status: number, json: unknown, label: string) {
  const fine = route.ok.includes(status) || (status >= 400 && status < 500);
  expect(fine, `${label} answered ${status}: ${JSON.stringify(json).slice(0, 300)}`).toBe(true);
  if (status >= 400) {
    const error = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } }).error;
    expect(typeof error?.code, label).toBe('string');
    expect(typeof error?.message, label).toBe('string');
    expect(Array.isArray(error?.details), label).toBe(true);
    expect(JSON.stringify(json)).not.toMatch(/\n\s+at /);
  }
}

describe('fuzzing every route', () => {
  it('answers random paths, queries, headers and bodies with a 4xx or a documented 2xx', { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.oneof(segment, fc.constant(flowId)), query, headers, body, async (route, id, q, h, b) => {
        const { status, json } = await send(route, id, q, h, b);
        expectDocumented(route, status, json, `${route.method} ${route.path(id)}${q}`);
      }),
      { numRuns: 2500 },
    );
  });

  it('answers random event bodies in every publish mode with 202, 400, 409, 413 or 415', { timeout: 120_000 }, async () => {
    const publish = ROUTES.find((r) => r.method === 'POST' && r.path('') === '/api/events')!;
    await fc.assert(
      fc.asyncProperty(headers, fc.oneof(mutatedEvent.map((v) => JSON.stringify(v)), fc.array(mutatedEvent, { maxLength: 4 }).map((v) => JSON.stringify(v))), async (h, b) => {
        const { status, json } = await send(publish, '', '', h, b);
        expectDocumented(publish, status, json, `POST /api/events ${b.slice(0, 100)}`);
        expect([202, 400, 409, 413, 415], `${status} ${JSON.stringify(json).slice(0, 200)}`).toContain(status);
      }),
      { numRuns: 1500 },
    );
  });

  it('keeps the server up and the stored events unchanged', async () => {
    const api = client(server.url);
    expect((await api.get('/api/health')).status).toBe(200);
    const after = JSON.stringify(await Promise.all(seededIds.map(async (id) => (await api.get(`/api/events/${id}`)).json)));
    expect(after).toBe(seeded);
    const stream = await api.get('/api/streams/seeded?limit=20');
    expect(stream.json.events.slice(0, 20).map((e: { id: string }) => e.id)).toEqual(seededIds);
  });
});
