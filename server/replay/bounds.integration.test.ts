/** The real server: how many replays run at once (429 beyond), and cancelling one (`POST /api/replays/:id/cancel`). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTokens } from '../config.js';
import { CE_BATCH, cloudEvent, pipelineFlow } from '../http/testing/bodies.js';
import { client, readSse, waitFor } from '../http/testing/client.js';
import { startTestServer } from '../testing/test-server.js';
import type { Causeway } from '../start.js';

const VIEWER = 'viewer-secret-1';
const EDITOR = 'editor-secret-1';
const ADMIN = 'admin-secret-1';

let app: Causeway;
let admin: ReturnType<typeof client>;
let editor: ReturnType<typeof client>;
let viewer: ReturnType<typeof client>;
const flows: string[] = [];
/** Ten readings a second apart, a minute ago: replayed at ×1 they take nine seconds, so they run until cancelled. */
let slow: { from: string; to: string };

beforeAll(async () => {
  app = await startTestServer({
    tokens: parseTokens(`vera:viewer:${VIEWER},eddie:editor:${EDITOR},ada:admin:${ADMIN}`),
    replays: { maxRunning: 2, maxRunningPerFlow: 1 },
  });
  admin = client(app.url, { authorization: `Bearer ${ADMIN}` });
  editor = client(app.url, { authorization: `Bearer ${EDITOR}` });
  viewer = client(app.url, { authorization: `Bearer ${VIEWER}` });
  for (const name of ['a', 'b', 'c']) flows.push((await admin.post('/api/flows', pipelineFlow(`bounds ${name}`))).json.id as string);
  const t0 = Date.now() - 60_000;
  const readings = Array.from({ length: 10 }, (_, i) => cloudEvent({ type: 'reading.slow', time: new Date(t0 + i * 1000).toISOString(), data: { t: 20 } }));
  expect((await admin.post('/api/events', readings, CE_BATCH)).status).toBe(202);
  slow = { from: new Date(t0).toISOString(), to: new Date(t0 + 10_000).toISOString() };
});

afterAll(async () => {
  await app?.close();
});

const startSlow = (api: ReturnType<typeof client>, flowId: string, mode: 'dry-run' | 'live' = 'dry-run') =>
  api.post('/api/replays', { flowId, ...slow, mode, speed: 1 });

async function startedSlow(flowId: string, mode: 'dry-run' | 'live' = 'dry-run'): Promise<string> {
  const started = await startSlow(admin, flowId, mode);
  expect(started.status).toBe(202);
  return started.json.id as string;
}

describe('bounding the replays that run at once', () => {
  it('answers 429 too_many_replays beyond the cap of a flow and beyond the cap in all, with Retry-After and the counts', async () => {
    const [a, b, c] = flows as [string, string, string];
    const first = await startedSlow(a);
    const sameFlow = await startSlow(editor, a);
    expect(sameFlow.status).toBe(429);
    expect(sameFlow.headers.get('retry-after')).toBe('5');
    expect(sameFlow.json.error.code).toBe('too_many_replays');
    expect(sameFlow.json.error.message).toBe(`1 replay of flow "${a}" is running, the most it may run at once: wait for one to finish or cancel one (Cancel replay on its page, or POST /api/replays/<id>/cancel)`);
    expect(sameFlow.json.error.details[0]).toMatchObject({ running: 1, limit: 2, flowRunning: 1, flowLimit: 1 });

    const second = await startedSlow(b);
    const beyond = await startSlow(editor, c);
    expect(beyond.status).toBe(429);
    expect(beyond.json.error).toMatchObject({ code: 'too_many_replays', message: expect.stringMatching(/^2 replays are running, the most this server runs at once/) });
    expect(beyond.json.error.details[0]).toMatchObject({ running: 2, limit: 2 });

    // A cancelled replay frees its place at once.
    expect((await editor.post(`/api/replays/${first}/cancel`)).status).toBe(200);
    const third = await startSlow(editor, c);
    expect(third.status).toBe(202);
    for (const id of [second, third.json.id as string]) expect((await editor.post(`/api/replays/${id}/cancel`)).status).toBe(200);
  });
});

describe('cancelling a replay', () => {
  it('stops a running replay: 200 with its final status, cancelled with a partial diff; its live stream ends with that status', async () => {
    const id = await startedSlow(flows[0]!);
    const streaming = readSse(`${app.url}/api/replays/${id}/live`, (messages) => messages.some((m) => m.event === 'done'), {
      headers: { authorization: `Bearer ${EDITOR}` },
      timeoutMs: 8_000,
    });
    await waitFor(async () => (await editor.get(`/api/replays/${id}`)).json.processed > 0);
    const cancelled = await editor.post(`/api/replays/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({ id, state: 'cancelled', partial: true, input: 10, error: null });
    expect(cancelled.json.processed).toBeGreaterThan(0);
    expect(cancelled.json.processed).toBeLessThan(10);
    expect(cancelled.json.diff.extra).toBe(cancelled.json.processed * 2);

    const stream = await streaming;
    const last = stream.messages.at(-1)!;
    expect(last.event).toBe('done');
    expect(JSON.parse(last.data)).toEqual(cancelled.json);
    expect((await editor.get(`/api/replays/${id}`)).json).toEqual(cancelled.json);
    expect((await editor.get('/api/replays')).json.replays.find((r: { id: string }) => r.id === id).state).toBe('cancelled');
  });

  it('answers 409 replay_ended to cancelling a replay that has ended, 404 to an unknown one', async () => {
    const id = (await editor.post('/api/replays', { flowId: flows[1], filter: { type: 'nothing.here' }, mode: 'dry-run' })).json.id as string;
    await waitFor(async () => (await editor.get(`/api/replays/${id}`)).json.state === 'done');
    const late = await editor.post(`/api/replays/${id}/cancel`);
    expect(late.status).toBe(409);
    expect(late.json.error).toMatchObject({ code: 'replay_ended', message: `replay "${id}" has already ended (done): only a running replay can be cancelled` });
    expect((await editor.get(`/api/replays/${id}`)).json.state).toBe('done');
    const unknown = await editor.post('/api/replays/no-such-replay/cancel');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('not_found');
  });

  it('needs the editor role to cancel a dry-run replay and the admin role to cancel a live one', async () => {
    const dry = await startedSlow(flows[1]!);
    expect((await viewer.post(`/api/replays/${dry}/cancel`)).status).toBe(403);
    expect((await editor.post(`/api/replays/${dry}/cancel`)).json.state).toBe('cancelled');

    const live = await startedSlow(flows[2]!, 'live');
    const refused = await editor.post(`/api/replays/${live}/cancel`);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('forbidden');
    expect((await editor.get(`/api/replays/${live}`)).json.state).toBe('running');
    const byAdmin = await admin.post(`/api/replays/${live}/cancel`);
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.json.state).toBe('cancelled');
  });
});
