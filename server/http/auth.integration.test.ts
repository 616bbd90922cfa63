/** Tokens and roles against a real server: 401 without a token, 403 for a role too low, authors recorded. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTokens } from '../config.js';
import type { Causeway } from '../start.js';
import { CE, client, cloudEvent, pipelineFlow, readSse, startTestServer } from './test-server.js';

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

  it('accepts ?access_token= on streams only', async () => {
    const denied = await readSse(`${server.url}/api/events/live`, () => true, { timeoutMs: 1000 });
    expect(denied.status).toBe(401);
    const allowed = await readSse(`${server.url}/api/events/live?access_token=${VIEWER}`, () => true, { timeoutMs: 1000 });
    expect(allowed.status).toBe(200);
    expect((await as().get(`/api/flows?access_token=${VIEWER}`)).status).toBe(401);
  });
});
