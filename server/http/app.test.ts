/** Every answer of the app carries the security headers: API, errors, streams, metrics and the web app's files. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTokens } from '../config.js';
import type { Causeway } from '../start.js';
import { startTestServer } from '../testing/test-server.js';

const EXPECTED = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const webDist = mkdtempSync(join(tmpdir(), 'causeway-headers-'));
let server: Causeway;

beforeAll(async () => {
  mkdirSync(join(webDist, 'assets'), { recursive: true });
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(webDist, 'assets', 'app.js'), 'console.log(1)');
  server = await startTestServer({ webDist, tokens: parseTokens('vera:viewer:viewer-secret-1') });
});
afterAll(async () => {
  await server?.close();
  rmSync(webDist, { recursive: true, force: true });
});

const headersOf = (res: Response) => Object.fromEntries(Object.keys(EXPECTED).map((name) => [name, res.headers.get(name)]));

describe('security headers', () => {
  const viewer = { authorization: 'Bearer viewer-secret-1' };
  const cases: [string, string, Record<string, string>, number][] = [
    ['health', '/api/health', {}, 200],
    ['an API read', '/api/flows', viewer, 200],
    ['a 401', '/api/flows', {}, 401],
    ['an unknown API route', '/api/nothing-here', viewer, 404],
    ['a bad query', '/api/events?limit=x', viewer, 400],
    ['metrics', '/metrics', viewer, 200],
    ['a static file', '/assets/app.js', {}, 200],
    ['the page of a client route', '/flows/f-1', { accept: 'text/html' }, 200],
    ['a missing asset', '/assets/missing.js', { accept: '*/*' }, 404],
  ];
  for (const [what, path, headers, status] of cases) {
    it(`are on ${what} (${path})`, async () => {
      const res = await server.app.request(path, { headers });
      expect(res.status).toBe(status);
      expect(headersOf(res)).toEqual(EXPECTED);
    });
  }

  it('are on an event stream', async () => {
    const res = await fetch(`${server.url}/api/events/live?access_token=viewer-secret-1`, { headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(headersOf(res)).toEqual(EXPECTED);
    await res.body?.cancel();
  });
});
