/** Signing in, and the token on every request and stream, against a real server with tokens. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type Causeway } from '../../server/testing/test-server.js';
import { FlowListSchema } from '../../shared/api/flows.js';
import { FlowSchema } from '../../shared/flow.js';
import { ApiFailure, describeError, getJson, sendJson, streamUrl } from './client.js';
import { currentSession, signIn, signOut, startSession } from './session.js';

let server: Causeway;
beforeAll(async () => {
  server = await startTestServer({
    tokens: [
      { name: 'eddie', role: 'editor', secret: 'editor-secret-1' },
      { name: 'vera', role: 'viewer', secret: 'viewer-secret-1' },
    ],
  });
  const realFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => realFetch(url.startsWith('/') ? server.url + url : url, init));
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await server.close();
});

const failureOf = async (promise: Promise<unknown>): Promise<ApiFailure> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiFailure) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
};

describe('the session with tokens on the server', () => {
  it('asks for a token on first load, since health says the server wants one', async () => {
    await startSession();
    expect(currentSession()).toEqual({ phase: 'signed-out', reason: null });
    expect(streamUrl('/api/events/live')).toBe('/api/events/live');
  });

  it('refuses a wrong token with the server’s reason and stays signed out', async () => {
    await expect(signIn('wrong-secret')).rejects.toThrow('The server refused the token: the token is not valid');
    expect(currentSession().phase).toBe('signed-out');
    expect((await failureOf(getJson('/api/flows', FlowListSchema))).status).toBe(401);
  });

  it('signs in with a good token and puts it on every request and stream', async () => {
    await expect(signIn(' editor-secret-1 ')).resolves.toEqual({ name: 'eddie', role: 'editor', auth: 'token' });
    expect(currentSession()).toEqual({ phase: 'signed-in', who: { name: 'eddie', role: 'editor', auth: 'token' } });
    expect((await sendJson('POST', '/api/flows', FlowSchema, { name: 'signed in' })).status).toBe(201);
    expect(streamUrl('/api/events/live?after=3')).toBe('/api/events/live?after=3&access_token=editor-secret-1');
  });

  it('ends the session, saying why, when the server refuses the token', async () => {
    // The server refuses a token in the URL of a route that is not a stream, whatever the header says.
    expect((await failureOf(getJson('/api/flows?access_token=x', FlowListSchema))).status).toBe(401);
    const session = currentSession();
    expect(session.phase).toBe('signed-out');
    expect(session.phase === 'signed-out' ? session.reason : null).toMatch(/^The server refused the token: access_token:/);
    expect((await failureOf(getJson('/api/flows', FlowListSchema))).status).toBe(401);
  });

  it('keeps a viewer signed in on a 403, and says the role is too low', async () => {
    await signIn('viewer-secret-1');
    const refused = await failureOf(sendJson('POST', '/api/flows', FlowSchema, { name: 'by a viewer' }));
    expect(refused.status).toBe(403);
    expect(describeError(refused)).toBe('your role does not allow this (this needs the editor role; the token "vera" is viewer)');
    expect(currentSession().phase).toBe('signed-in');
    expect((await getJson('/api/flows', FlowListSchema)).flows).toHaveLength(1);
  });

  it('signs out: requests carry no token any more', async () => {
    signOut();
    expect(currentSession()).toEqual({ phase: 'signed-out', reason: null });
    expect((await failureOf(getJson('/api/flows', FlowListSchema))).status).toBe(401);
  });
});
