import { describe, expect, it } from 'vitest';
import type { Token } from '../config.js';
import { acceptsQueryToken, ANONYMOUS, authenticate, authorize, deleteFlowDenied, requiredRole, tokenFor } from './auth.js';

const tokens: Token[] = [
  { name: 'vera', role: 'viewer', secret: 'viewer-secret' },
  { name: 'ada', role: 'admin', secret: 'admin-secret' },
];

describe('authentication', () => {
  it('treats every caller as an anonymous admin when no tokens are configured', () => {
    expect(authenticate([], {})).toEqual({ ok: true, principal: ANONYMOUS });
  });

  it('finds the token named by a Bearer header', () => {
    expect(authenticate(tokens, { authorization: 'Bearer admin-secret' })).toEqual({ ok: true, principal: { name: 'ada', role: 'admin' } });
    expect(authenticate(tokens, { authorization: 'bearer  viewer-secret ' })).toEqual({ ok: true, principal: { name: 'vera', role: 'viewer' } });
  });

  it('refuses a missing, malformed or unknown token with 401', () => {
    for (const credentials of [{}, { authorization: 'Basic dXNlcg==' }, { authorization: 'Bearer' }, { authorization: 'Bearer wrong' }, { accessToken: '' }]) {
      const outcome = authenticate(tokens, credentials);
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.error.status).toBe(401);
    }
  });

  it('accepts an access token from the query when the header is absent', () => {
    expect(authenticate(tokens, { accessToken: 'viewer-secret' })).toEqual({ ok: true, principal: { name: 'vera', role: 'viewer' } });
  });

  it('matches secrets exactly', () => {
    expect(tokenFor(tokens, 'admin-secre')).toBeUndefined();
    expect(tokenFor(tokens, 'admin-secret ')).toBeUndefined();
    expect(tokenFor(tokens, 'admin-secret')?.name).toBe('ada');
  });
});

describe('authorization', () => {
  it('leaves health and the web app open', () => {
    expect(requiredRole('GET', '/api/health')).toBeNull();
    expect(requiredRole('GET', '/flows/f-1')).toBeNull();
    expect(requiredRole('GET', '/assets/index.js')).toBeNull();
  });

  it("leaves the API's description open, as health is: the document, its page and the page's files", () => {
    for (const path of ['/api/openapi.json', '/api/docs', '/api/docs/swagger-ui-bundle.js']) expect(requiredRole('GET', path), path).toBeNull();
    expect(requiredRole('GET', '/api/docsx')).toBe('viewer');
  });

  it('needs a viewer token for /metrics', () => {
    expect(requiredRole('GET', '/metrics')).toBe('viewer');
  });

  it('lets a viewer validate a flow, which stores nothing', () => {
    expect(requiredRole('POST', '/api/flows/validate')).toBe('viewer');
    expect(requiredRole('GET', '/api/whoami')).toBe('viewer');
  });

  it('needs an editor to test a flow: it stores nothing, but runs the flow’s user code', () => {
    expect(requiredRole('POST', '/api/flows/test')).toBe('editor');
  });

  it('needs viewer to read, editor to change flows and publish, admin to deploy and stop', () => {
    expect(requiredRole('GET', '/api/flows')).toBe('viewer');
    expect(requiredRole('GET', '/api/events/live')).toBe('viewer');
    expect(requiredRole('POST', '/api/flows')).toBe('editor');
    expect(requiredRole('PUT', '/api/flows/f-1')).toBe('editor');
    expect(requiredRole('DELETE', '/api/flows/f-1')).toBe('editor');
    expect(requiredRole('POST', '/api/events')).toBe('editor');
    expect(requiredRole('POST', '/api/flows/f-1/deploy')).toBe('admin');
    expect(requiredRole('POST', '/api/flows/f-1/stop')).toBe('admin');
  });

  it('refuses a role below the one needed with 403', () => {
    expect(authorize({ name: 'vera', role: 'viewer' }, 'viewer')).toBeNull();
    expect(authorize({ name: 'vera', role: 'viewer' }, 'editor')?.status).toBe(403);
    expect(authorize({ name: 'ed', role: 'editor' }, 'admin')?.status).toBe(403);
    expect(authorize({ name: 'ada', role: 'admin' }, 'admin')).toBeNull();
  });

  it('takes query tokens on the event stream routes only, whatever the request asks for', () => {
    expect(acceptsQueryToken('GET', '/api/events/live')).toBe(true);
    expect(acceptsQueryToken('GET', '/api/flows/f-1/live')).toBe(true);
    expect(acceptsQueryToken('GET', '/api/replays/r-1/live')).toBe(true);
    expect(acceptsQueryToken('GET', '/api/replays/r-1/progress')).toBe(false);
    expect(acceptsQueryToken('GET', '/api/flows')).toBe(false);
    expect(acceptsQueryToken('GET', '/api/events/e-1')).toBe(false);
    expect(acceptsQueryToken('GET', '/api/flows/f-1/live/x')).toBe(false);
    expect(acceptsQueryToken('GET', '/api/flows/a/b/live')).toBe(false);
    expect(acceptsQueryToken('POST', '/api/events/live')).toBe(false);
  });

  it('lets an editor delete a stopped flow, and only an admin a running one, saying why', () => {
    const editor = { name: 'ed', role: 'editor' as const };
    expect(deleteFlowDenied(editor, 'f-1', false)).toBeNull();
    expect(deleteFlowDenied({ name: 'ada', role: 'admin' }, 'f-1', true)).toBeNull();
    const denied = deleteFlowDenied(editor, 'f-1', true);
    expect(denied?.status).toBe(403);
    expect(denied?.code).toBe('forbidden');
    expect(denied?.message).toMatch(/stopping a running flow needs the admin role/);
  });
});
