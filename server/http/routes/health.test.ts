/** `GET /api/health`, `GET /api/whoami` and `GET /metrics`, in-process on the memory store, with and without tokens. */
import { afterEach, describe, expect, it } from 'vitest';
import { parseTokens } from '../../config.js';
import { inProcessApp, type InProcessApp } from '../testing/in-process.js';

let open: InProcessApp[] = [];
const start = (...args: Parameters<typeof inProcessApp>) => {
  const server = inProcessApp(...args);
  open.push(server);
  return server;
};
afterEach(async () => {
  await Promise.all(open.map((s) => s.close()));
  open = [];
});

const withTokens = () => start({ config: { tokens: parseTokens('vera:viewer:viewer-secret-1,eddie:editor:editor-secret-1') } });

describe('GET /api/health', () => {
  it('answers ok with the process, the store kind, the version and that no token is needed', async () => {
    const { status, json } = await start({ config: { process: 'edge-1' } }).request('GET', '/api/health');
    expect(status).toBe(200);
    expect(json).toEqual({ status: 'ok', process: 'edge-1', store: 'memory', version: 'test', auth: 'none' });
  });

  it('stays open without a token when tokens are set, and says tokens are needed', async () => {
    const { status, json } = await withTokens().request('GET', '/api/health');
    expect(status).toBe(200);
    expect(json.auth).toBe('token');
  });
});

describe('GET /api/whoami', () => {
  it('names no one, with the admin role, when there are no tokens', async () => {
    const { status, json } = await start().request('GET', '/api/whoami');
    expect(status).toBe(200);
    expect(json).toEqual({ name: null, role: 'admin', auth: 'none' });
  });

  it("names the token's name and role", async () => {
    const { json } = await withTokens().request('GET', '/api/whoami', undefined, { authorization: 'Bearer editor-secret-1' });
    expect(json).toEqual({ name: 'eddie', role: 'editor', auth: 'token' });
  });

  it('answers 401 naming the Authorization header without a token, and for an unknown one', async () => {
    const server = withTokens();
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }] as Record<string, string>[]) {
      const { status, json, headers: answer } = await server.request('GET', '/api/whoami', undefined, headers);
      expect(status).toBe(401);
      expect(json.error.code).toBe('unauthorized');
      expect(json.error.details[0].path).toBe('Authorization');
      expect(answer.get('www-authenticate')).toContain('Bearer');
    }
  });

  it('answers 400 naming a query parameter it does not take', async () => {
    const { status, json } = await start().request('GET', '/api/whoami?verbose=1');
    expect(status).toBe(400);
    expect(json.error.message).toContain('verbose');
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text counting the events published over HTTP', async () => {
    const server = start();
    const published = await server.request(
      'POST',
      '/api/events',
      { specversion: '1.0', id: 'm-1', source: 'test://metrics', type: 'reading.recorded', data: { t: 1 } },
      { 'content-type': 'application/cloudevents+json' },
    );
    expect(published.status).toBe(202);
    const { status, headers, text } = await server.request('GET', '/metrics');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/plain');
    expect(text).toContain('events_published_total{origin="http"} 1');
    expect(text).toMatch(/event_store_operations_total\{operation="append",outcome="ok"\} \d+/);
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/api\/events",status="202"\} 1/);
  });

  it('answers 404 when metrics are off', async () => {
    const server = start({ config: { metrics: false } });
    expect((await server.request('GET', '/api/health')).status).toBe(200);
    const { status, json } = await server.request('GET', '/metrics');
    expect(status).toBe(404);
    expect(json.error).toMatchObject({ code: 'not_found', message: expect.stringContaining('server.metrics = false') });
  });

  it('needs a viewer token when tokens are set: 401 without one', async () => {
    const server = withTokens();
    expect((await server.request('GET', '/metrics')).status).toBe(401);
    expect((await server.request('GET', '/metrics', undefined, { authorization: 'Bearer viewer-secret-1' })).status).toBe(200);
  });
});
