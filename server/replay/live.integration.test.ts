/** `GET /api/replays/:id/live`: the progress of a replay as server-sent events, a final `done`, then the end. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CE_BATCH, cloudEvent, pipelineFlow } from '../http/testing/bodies.js';
import { client, readSse, waitFor } from '../http/testing/client.js';
import { startTestServer } from '../testing/test-server.js';
import type { Causeway } from '../start.js';

let app: Causeway;
let api: ReturnType<typeof client>;
let flowId: string;

beforeAll(async () => {
  app = await startTestServer();
  api = client(app.url);
  flowId = (await api.post('/api/flows', pipelineFlow('live replay'))).json.id as string;
});

afterAll(async () => {
  await app?.close();
});

type Message = { event: string; data: string };
const parsed = (messages: Message[]) => messages.map((m) => ({ event: m.event, status: JSON.parse(m.data) as { state: string; processed: number; input: number; diff: unknown } }));

describe('following a replay live', () => {
  it('streams the progress of a running replay, then its final status, then closes', async () => {
    const t0 = Date.now() - 60_000;
    const readings = Array.from({ length: 8 }, (_, i) => cloudEvent({ type: 'reading.live', time: new Date(t0 + i * 100).toISOString(), data: { t: 9 + i } }));
    expect((await api.post('/api/events', readings, CE_BATCH)).status).toBe(202);
    const id = (await api.post('/api/replays', { flowId, from: new Date(t0).toISOString(), to: new Date(t0 + 1000).toISOString(), mode: 'dry-run', speed: 1 })).json.id;
    const started = Date.now();
    const stream = await readSse(`${app.url}/api/replays/${id}/live`, () => false, { timeoutMs: 10_000 });
    expect(Date.now() - started).toBeLessThan(9_000); // the server ended the stream, the timeout did not
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');
    const messages = parsed(stream.messages);
    const statuses = messages.filter((m) => m.event === 'status');
    expect(statuses.length).toBeGreaterThanOrEqual(2);
    expect(statuses.every((m) => m.status.state === 'running')).toBe(true);
    const processed = statuses.map((m) => m.status.processed);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));
    expect(messages.at(-1)).toEqual({ event: 'done', status: expect.objectContaining({ state: 'done', input: 8, processed: 8 }) });
    expect(messages.filter((m) => m.event === 'done')).toHaveLength(1);
    expect(messages.at(-1)!.status).toEqual((await api.get(`/api/replays/${id}`)).json);
  });

  it('answers a finished replay with its final status at once and closes', async () => {
    const id = (await api.post('/api/replays', { flowId, filter: { type: 'nothing.here' }, mode: 'dry-run' })).json.id;
    const final = await waitFor(async () => {
      const r = await api.get(`/api/replays/${id}`);
      return r.json.state === 'done' ? r.json : null;
    });
    const stream = await readSse(`${app.url}/api/replays/${id}/live`, () => false, { timeoutMs: 5_000 });
    expect(parsed(stream.messages)).toEqual([{ event: 'done', status: final }]);
  });

  it('answers 404 for an unknown replay and 400 for an unknown parameter', async () => {
    const missing = await api.get('/api/replays/nope/live', { accept: 'text/event-stream' });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('not_found');
    expect((await api.get('/api/replays/nope/live?x=1')).status).toBe(400);
  });
});
