/**
 * The client parses every answer by its route's schema: an answer that lacks a field the API promises, or has one
 * it does not, fails at the boundary with a failure naming the field, not later in a page; error answers are read
 * by the error envelope's schema. The server is a stubbed `fetch` here, answering what each test says.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getReplay } from '../replay/api.js';
import { ApiFailure } from './client.js';
import { getStatus, listFlows } from './flows.js';

function answering(status: number, body: unknown): void {
  vi.stubGlobal('fetch', async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
}
afterEach(() => {
  vi.unstubAllGlobals();
});

const failureOf = async (promise: Promise<unknown>): Promise<ApiFailure> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiFailure) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
};

const summary = { id: 'f-1', name: 'Cold chain', revision: 3, deployedRevision: 2, status: 'running' };

describe('answers parsed at the client boundary', () => {
  it('returns an answer that has every field the API promises', async () => {
    answering(200, { flows: [summary] });
    expect(await listFlows()).toEqual([summary]);
  });

  it('refuses an answer missing a required field, naming the route and the field', async () => {
    const { status: _status, ...withoutStatus } = summary;
    answering(200, { flows: [withoutStatus] });
    const failure = await failureOf(listFlows());
    expect(failure.code).toBe('invalid_answer');
    expect(failure.message).toBe('GET /api/flows answered what the API does not say (flows.0.status: Invalid option: expected one of "running"|"stopped")');
    expect(failure.details[0]).toMatchObject({ path: 'flows.0.status' });
  });

  it('refuses an answer with a field the API does not have', async () => {
    answering(200, { state: 'stopped', revision: null, checkpoint: null, error: null, nodes: {}, paused: true });
    const failure = await failureOf(getStatus('f-1'));
    expect(failure.code).toBe('invalid_answer');
    expect(failure.message).toContain('Unrecognized key: "paused"');
  });

  it('refuses a replay status without the fields the server always sends', async () => {
    answering(200, { id: 'rp-1', state: 'done', input: 1, processed: 1 });
    const failure = await failureOf(getReplay('rp-1'));
    expect(failure.message).toMatch(/^GET \/api\/replays\/rp-1 answered what the API does not say \(flowId: /);
  });
});

describe('error answers', () => {
  it('carry the code, message and details of the error envelope', async () => {
    answering(404, { error: { code: 'not_found', message: 'flow "f-9" does not exist', details: [] } });
    const failure = await failureOf(getStatus('f-9'));
    expect(failure).toMatchObject({ status: 404, code: 'not_found', message: 'flow "f-9" does not exist', details: [] });
  });

  it('say only the status when the answer is not the envelope (a proxy’s page)', async () => {
    answering(502, '<html>bad gateway</html>');
    const failure = await failureOf(getStatus('f-1'));
    expect(failure).toMatchObject({ status: 502, code: 'http_502', message: 'the server answered 502' });
  });
});
