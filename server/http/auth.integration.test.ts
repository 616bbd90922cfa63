/** Tokens and roles against a real server: 401 without a token, 403 for a role too low, authors recorded. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTokens } from '../config.js';
import type { Causeway } from '../start.js';
import { startTestServer } from '../testing/test-server.js';
import { CE, cloudEvent, pipelineFlow } from './testing/bodies.js';
import { client, readSse } from './testing/client.js';

const VIEWER = 'viewer-secret-1';
const EDITOR = 'editor-secret-1';
const ADMIN = 'admin-secret-12';

let server: Causeway;
const as = (secret?: string) => client(server.url, secret ? { authorization: `Bearer ${secret}` } : {});

beforeAll(async () => {
  server = await startTestServer({ tokens: parseTokens(`vera:viewer:${VIEWER},eddie:editor:${EDITOR},ada:admin:${ADMIN}`) });
});
afterAll(async () => server?.close());

describe('with tokens configured', () => {
  it('keeps /api/health open', async () => {
    expect((await as().get('/api/health')).status).toBe(200);
  });

  it('answers 401 without a token, with a malformed header, or with an unknown token', async () => {
    for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer nope-nope-nope' }] as Record<string, string>[]) {
      const res = await client(server.url, headers).get('/api/flows');
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('unauthorized');
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
    }
    expect((await as().post('/api/events', cloudEvent(), CE)).status).toBe(401);
  });

  it('lets a viewer read but not change flows or publish', async () => {
    const viewer = as(VIEWER);
    expect((await viewer.get('/api/flows')).status).toBe(200);
    expect((await viewer.get('/api/events')).status).toBe(200);
    const create = await viewer.post('/api/flows', pipelineFlow());
    expect(create.status).toBe(403);
    expect(create.json.error.code).toBe('forbidden');
    const event = cloudEvent();
    expect((await viewer.post('/api/events', event, CE)).status).toBe(403);
    expect((await viewer.get(`/api/events/${event.id}`)).status).toBe(404);
  });

  it('lets an editor save flows and publish, but not deploy or stop', async () => {
    const editor = as(EDITOR);
    const created = await editor.post('/api/flows', pipelineFlow());
    expect(created.status).toBe(201);
    expect((await editor.post('/api/events', cloudEvent(), CE)).status).toBe(202);
    expect((await editor.post(`/api/flows/${created.json.id}/deploy`)).status).toBe(403);
    expect((await editor.post(`/api/flows/${created.json.id}/stop`)).status).toBe(403);
    expect(server.engine.running()).not.toContain(created.json.id);
  });

  it('lets a viewer list dead letters, an editor re-drive them in dry-run, and only an admin re-drive them live', async () => {
    expect((await as(VIEWER).get('/api/deadletters')).status).toBe(200);
    expect((await as(VIEWER).post('/api/deadletters/redrive', { deadLetters: ['none'] })).status).toBe(403);
    // Past the role check, the unknown dead letter is what is refused.
    expect((await as(EDITOR).post('/api/deadletters/redrive', { deadLetters: ['none'] })).status).toBe(404);
    const live = await as(EDITOR).post('/api/deadletters/redrive', { deadLetters: ['none'], mode: 'live' });
    expect(live.status).toBe(403);
    expect(live.json.error.code).toBe('forbidden');
    expect((await as(ADMIN).post('/api/deadletters/redrive', { deadLetters: ['none'], mode: 'live' })).status).toBe(404);
  });

  it('lets an admin deploy and stop', async () => {
    const admin = as(ADMIN);
    const created = await admin.post('/api/flows', pipelineFlow());
    expect((await admin.post(`/api/flows/${created.json.id}/deploy`)).status).toBe(200);
    expect((await admin.post(`/api/flows/${created.json.id}/stop`)).status).toBe(200);
  });

  it('records the token name as the author of each revision', async () => {
    const created = await as(EDITOR).post('/api/flows', pipelineFlow());
    await as(ADMIN).put(`/api/flows/${created.json.id}`, pipelineFlow('edited'), { 'if-match': '"1"' });
    const revisions = (await as(VIEWER).get(`/api/flows/${created.json.id}/revisions`)).json.revisions;
    expect(revisions.map((r: { revision: number; author: string }) => [r.revision, r.author])).toEqual([
      [2, 'ada'],
      [1, 'eddie'],
    ]);
  });

  it('lets an editor delete a stopped flow but not a running one; an admin deletes a running flow', async () => {
    const editor = as(EDITOR);
    const admin = as(ADMIN);
    const stopped = await editor.post('/api/flows', pipelineFlow());
    expect((await editor.del(`/api/flows/${stopped.json.id}`)).status).toBe(204);

    const running = (await editor.post('/api/flows', pipelineFlow())).json.id as string;
    expect((await admin.post(`/api/flows/${running}/deploy`)).status).toBe(200);
    const refused = await editor.del(`/api/flows/${running}`);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('forbidden');
    expect(refused.json.error.message).toMatch(/stopping a running flow needs the admin role/);
    expect(server.engine.running()).toContain(running);
    expect((await editor.get(`/api/flows/${running}`)).status).toBe(200);

    expect((await admin.del(`/api/flows/${running}`)).status).toBe(204);
    expect(server.engine.running()).not.toContain(running);
    expect((await editor.get(`/api/flows/${running}`)).status).toBe(404);
  });

  it('refuses ?access_token= on a GET that is not an event stream, even one asking for one', async () => {
    const asked = await as().get(`/api/flows?access_token=${VIEWER}`, { accept: 'text/event-stream' });
    expect(asked.status).toBe(401);
    expect(asked.json.error.message).toMatch(/access_token/);
    expect((await as().get(`/api/events?access_token=${VIEWER}`, { accept: 'text/event-stream' })).status).toBe(401);
    // With a good header too: a token in the URL of an ordinary route is refused, not ignored.
    expect((await as(VIEWER).get(`/api/flows?access_token=${VIEWER}`)).status).toBe(401);
  });

  it('takes ?access_token= on every event stream route', async () => {
    const flow = (await as(EDITOR).post('/api/flows', pipelineFlow())).json.id as string;
    const flowLive = await readSse(`${server.url}/api/flows/${flow}/live?access_token=${VIEWER}`, () => true, { timeoutMs: 1000 });
    expect(flowLive.status).toBe(200);
    // Past auth, an unknown replay is a 404, not a 401.
    expect((await as().get(`/api/replays/r-none/live?access_token=${VIEWER}`)).status).toBe(404);
    expect((await as().get(`/api/replays/r-none/live`)).status).toBe(401);
  });

  it('needs a token for /metrics', async () => {
    const open = await as().get('/metrics');
    expect(open.status).toBe(401);
    expect(open.headers.get('www-authenticate')).toContain('Bearer');
    const viewer = await as(VIEWER).get('/metrics');
    expect(viewer.status).toBe(200);
    expect(viewer.text).toContain('events_published_total');
  });

  it('says tokens are required in /api/health, and who a token is in /api/whoami', async () => {
    const health = await as().get('/api/health');
    expect(health.json).toMatchObject({ status: 'ok', auth: 'token' });
    expect((await as().get('/api/whoami')).status).toBe(401);
    expect((await as(VIEWER).get('/api/whoami')).json).toEqual({ name: 'vera', role: 'viewer', auth: 'token' });
    expect((await as(EDITOR).get('/api/whoami')).json).toEqual({ name: 'eddie', role: 'editor', auth: 'token' });
  });

  it('lets a viewer validate a flow', async () => {
    const answer = await as(VIEWER).post('/api/flows/validate', pipelineFlow());
    expect(answer.status).toBe(200);
    expect(answer.json.ok).toBe(true);
  });

  it('accepts ?access_token= on streams only', async () => {
    const denied = await readSse(`${server.url}/api/events/live`, () => true, { timeoutMs: 1000 });
    expect(denied.status).toBe(401);
    const allowed = await readSse(`${server.url}/api/events/live?access_token=${VIEWER}`, () => true, { timeoutMs: 1000 });
    expect(allowed.status).toBe(200);
    expect((await as().get(`/api/flows?access_token=${VIEWER}`)).status).toBe(401);
  });
});

describe('without tokens', () => {
  let open: Causeway;
  beforeAll(async () => {
    open = await startTestServer();
  });
  afterAll(async () => open?.close());

  it('keeps /metrics open, says no tokens are needed, and names everyone an anonymous admin', async () => {
    const anyone = client(open.url);
    expect((await anyone.get('/metrics')).status).toBe(200);
    expect((await anyone.get('/api/health')).json).toMatchObject({ status: 'ok', auth: 'none' });
    expect((await anyone.get('/api/whoami')).json).toEqual({ name: null, role: 'admin', auth: 'none' });
  });
});
