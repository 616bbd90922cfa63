/**
 * Publishing what a store cannot keep: a 400 naming the attribute as the client sent it, nothing of the request
 * stored, and — on PostgreSQL, which refuses a NUL character in text — no other request of the same group commit
 * failed with it. Processes named like the members every object inherits publish and answer causality as any other.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { startCauseway, type Causeway } from '../start.js';
import { startTestServer } from '../testing/test-server.js';
import { CE, CE_BATCH, cloudEvent } from './testing/bodies.js';
import { client } from './testing/client.js';

const errorOf = (json: unknown) => (json as { error: { code: string; message: string; details: { path: string; message: string }[] } }).error;

describe('publishing what a store cannot keep', () => {
  let server: Causeway;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    server = await startTestServer();
    api = client(server.url);
  });
  afterAll(async () => server?.close());

  it('answers 400 naming the data field that holds a NUL character, and stores nothing', async () => {
    const event = cloudEvent({ data: { name: 'Ada\u0000' } });
    const res = await api.post('/api/events', event, CE);
    expect(res.status).toBe(400);
    expect(errorOf(res.json)).toEqual({
      code: 'validation_failed',
      message: 'data.name: contains a NUL character (U+0000)',
      details: [{ path: 'data.name', message: 'contains a NUL character (U+0000)' }],
    });
    expect((await api.get(`/api/events/${event.id}`)).status).toBe(404);
  });

  it('refuses a whole batch for one bad event, naming its index and attribute', async () => {
    const batch = [cloudEvent(), cloudEvent(), cloudEvent({ subject: 'fridge\u00007' })];
    const res = await api.post('/api/events', batch, CE_BATCH);
    expect(res.status).toBe(400);
    expect(errorOf(res.json).message).toBe('2.subject: contains a NUL character (U+0000)');
    for (const event of batch) expect((await api.get(`/api/events/${event.id}`)).status).toBe(404);
  });

  it('names extension attributes, the clock and binary-mode headers as the client sent them', async () => {
    const extension = await api.post('/api/events', cloudEvent({ traceparent: 'x\u0000' }), CE);
    expect(errorOf(extension.json).message).toBe('traceparent: contains a NUL character (U+0000)');
    const binary = await api.post('/api/events', '{"t":1}', {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': `b-${Date.now()}`,
      'ce-source': 'test://binary',
      'ce-type': 'reading.recorded',
      'ce-subject': 'a%00b',
    });
    expect(binary.status).toBe(400);
    expect(errorOf(binary.json).message).toBe('ce-subject: contains a NUL character (U+0000)');
  });

  it('refuses an unpaired surrogate, which no store could keep as it was sent', async () => {
    const res = await api.post('/api/events', `{"specversion":"1.0","id":"s-${Date.now()}","source":"test://s","type":"t","data":{"v":"\\ud800"}}`, CE);
    expect(res.status).toBe(400);
    expect(errorOf(res.json).message).toBe('data.v: contains an unpaired surrogate (U+D800 at index 0): not Unicode text');
  });

  it('names the subject when a stream taken from it would be too long to index, and takes a stream attribute', async () => {
    const subject = 's'.repeat(300);
    const res = await api.post('/api/events', cloudEvent({ subject }), CE);
    expect(res.status).toBe(400);
    expect(errorOf(res.json).message).toBe("subject: is longer than 256 characters (the event's stream is taken from it: send a stream attribute)");
    expect((await api.post('/api/events', cloudEvent({ subject, stream: 'fridges' }), CE)).status).toBe(202);
  });

  it('refuses a flow name no store keeps as text with 400 naming it', async () => {
    const res = await api.post('/api/flows', { name: 'cold\u0000chain', nodes: [], edges: [] });
    expect(res.status).toBe(400);
    expect(errorOf(res.json).message).toBe('name: contains a NUL character (U+0000)');
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('publishes as a process named %s: its own clock entry, causality answered', async (name) => {
    const first = await api.post('/api/events', cloudEvent({ process: name }), CE);
    expect(first.status).toBe(202);
    expect(Object.entries(first.json.events[0].vectorClock)).toEqual([[name, 1]]);
    const second = await api.post('/api/events', cloudEvent({ process: name }), CE);
    expect(Object.entries(second.json.events[0].vectorClock)).toEqual([[name, 2]]);
    // Another device that has seen the first event, as its clock says.
    const seen = await api.post('/api/events', cloudEvent({ process: `seen-${name}`, vectorclock: JSON.stringify(Object.fromEntries([[name, 1], [`seen-${name}`, 1]])) }), CE);
    expect(seen.status).toBe(202);
    const cone = await api.get(`/api/events/${first.json.events[0].id}/causality`);
    expect(cone.status).toBe(200);
    expect(cone.json.future.map((e: { id: string }) => e.id).sort()).toEqual([second.json.events[0].id, seen.json.events[0].id].sort());
    const stored = await api.get(`/api/events?process=${name}`);
    expect(stored.json.events.map((e: { vectorClock: Record<string, number> }) => Object.entries(e.vectorClock))).toEqual([[[name, 1]], [[name, 2]]]);
  });
});

const URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<boolean> {
  const probe = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 2000 });
  try {
    await probe.connect();
    return true;
  } catch {
    return false;
  } finally {
    await probe.end().catch(() => undefined);
  }
}

const postgres = await postgresReachable();
if (!postgres && process.env.CI === 'true') throw new Error(`PostgreSQL is unreachable at ${URL} (CI=true: failing, not skipping)`);
if (!postgres) console.warn(`PostgreSQL is unreachable at ${URL}: skipping the PostgreSQL publish test`);

describe.skipIf(!postgres)('publishing what PostgreSQL cannot keep beside what it can', () => {
  const schema = `cw_unstorable_${randomBytes(4).toString('hex')}`;
  let server: Causeway;
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = `${URL}${URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    server = await startCauseway({ config: { port: 0, host: '127.0.0.1', store: { url } }, env: {}, demo: false, buildWeb: false, logger: silentLogger() });
  });
  afterAll(async () => {
    await server?.close();
    const admin = new pg.Client({ connectionString: URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it.each([
    ['/api/events?type=%00', 'type: contains a NUL character (U+0000)'],
    ['/api/events/x?source=a%00b', 'source: contains a NUL character (U+0000)'],
    ['/api/events/%00', 'the path segment "\\u0000" contains a NUL character (U+0000)'],
    ['/api/streams/s%00', 'the path segment "s\\u0000" contains a NUL character (U+0000)'],
  ])('answers GET %s with 400 naming the parameter, not the 500 of PostgreSQL refusing it', async (path, message) => {
    const res = await client(server.url).get(path);
    expect(res.status).toBe(400);
    expect(errorOf(res.json).message).toBe(message);
  });

  it('answers 400 to a NUL character and 202 to each of 400 good publishes made at the same time, all of them stored', { timeout: 60_000 }, async () => {
    const api = client(server.url);
    const good = Array.from({ length: 400 }, (_, i) => cloudEvent({ id: `good-${i}`, subject: `fridge-${i % 7}`, data: { i } }));
    const bad = cloudEvent({ id: 'bad-nul', subject: 'fridge\u00007' });
    const requests = [...good.slice(0, 200), bad, ...good.slice(200)].map((event) => api.post('/api/events', event, CE));
    const answers = await Promise.all(requests);
    const badAnswer = answers[200]!;
    expect(badAnswer.status).toBe(400);
    expect(errorOf(badAnswer.json).message).toBe('subject: contains a NUL character (U+0000)');
    const goodAnswers = answers.filter((_, i) => i !== 200);
    expect(goodAnswers.map((a) => a.status)).toEqual(good.map(() => 202));
    const stored = await server.store.read({ limit: 10_000 });
    expect(stored.map((e) => e.id).sort()).toEqual(good.map((e) => e.id).sort());
    expect(stored.map((e) => e.position)).toEqual(good.map((_, i) => i + 1));
  });
});
