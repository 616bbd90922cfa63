/**
 * The replay routes in-process on the memory store: a dry-run replay through a deployed flow runs to `done` and is
 * read back by status, list, events, effects and its live stream; what the routes refuse answers 4xx naming the
 * field, the replay or the cap.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseTokens } from '../../config.js';
import { inProcessApp, type ConfigPatch, type InProcessApp } from '../testing/in-process.js';
import { readSseStart } from '../testing/sse-messages.js';

let server: InProcessApp;
const restart = async (config: ConfigPatch) => {
  await server.close();
  server = inProcessApp({ config });
};
beforeEach(() => {
  server = inProcessApp();
});
afterEach(async () => server.close());

/** http in (reading.*) → filter (t > 8) → transform. */
const flow = {
  name: 'replayed',
  nodes: [
    { id: 'in', type: 'http', config: { types: ['reading.*'] } },
    { id: 'warm', type: 'filter', config: { expression: 'data.t > 8' } },
    { id: 'conv', type: 'transform', config: { expression: "{'celsius': data.t}", type: 'reading.converted' } },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'warm' },
    { id: 'e2', source: 'warm', target: 'conv' },
  ],
};

/** The flow saved and deployed, and readings published `spacingMs` apart in event time, each derived event stored. */
async function incident(readings: number[], spacingMs = 1) {
  const flowId = (await server.request('POST', '/api/flows', flow)).json.id as string;
  expect((await server.request('POST', `/api/flows/${flowId}/deploy`)).status).toBe(200);
  const start = Date.parse('2026-01-01T10:00:00Z');
  const events = readings.map((t, i) => ({
    specversion: '1.0',
    id: `r-${i}`,
    source: 'test://fridge',
    type: 'reading.recorded',
    time: new Date(start + i * spacingMs).toISOString(),
    data: { t },
  }));
  expect((await server.request('POST', '/api/events', events, { 'content-type': 'application/cloudevents-batch+json' })).status).toBe(202);
  const warm = readings.filter((t) => t > 8).length;
  await vi.waitFor(async () => expect((await server.request('GET', '/api/events?type=reading.converted')).json.events).toHaveLength(warm), { timeout: 5000, interval: 20 });
  return flowId;
}

async function finished(id: string) {
  return vi.waitFor(
    async () => {
      const { json } = await server.request('GET', `/api/replays/${id}`);
      expect(json.state).not.toBe('running');
      return json;
    },
    { timeout: 15_000, interval: 25 },
  );
}

describe('a dry-run replay through the routes', () => {
  it('starts with 202 and its id, ends done with an identical diff, and is listed, with its events and effects', async () => {
    const flowId = await incident([5, 9, 12]);
    const started = await server.request('POST', '/api/replays', { flowId });
    expect(started.status).toBe(202);
    const id = started.json.id as string;

    const status = await finished(id);
    expect(status).toMatchObject({ id, state: 'done', flowId, mode: 'dry-run', input: 3, partial: false, diff: { identical: 2, changed: 0, missing: 0, extra: 0 } });

    const list = await server.request('GET', '/api/replays');
    expect(list.json.replays.map((r: { id: string }) => r.id)).toEqual([id]);
    expect(list.json.replays[0]).not.toHaveProperty('changes');
    // What a list of replays shows: the flow by name, the revision run, who started it (none without tokens), the counts.
    expect(list.json.replays[0]).toMatchObject({ flowName: 'replayed', revision: 1, startedBy: null, diff: { identical: 2, changed: 0 } });

    const events = await server.request('GET', `/api/replays/${id}/events`);
    expect(events.json.events.filter((e: { type: string }) => e.type === 'reading.converted')).toHaveLength(2);
    expect(events.json.next).toBeNull();
    // The replay's events stay in its namespace: the live query still holds only the originals.
    expect((await server.request('GET', '/api/events?type=reading.converted')).json.events).toHaveLength(2);

    expect((await server.request('GET', `/api/replays/${id}/effects`)).json).toEqual({ effects: [] });
  });

  it('reports a changed output when replayed through another revision', async () => {
    const flowId = await incident([9]);
    const current = (await server.request('GET', `/api/flows/${flowId}`)).json;
    current.nodes[2].config.expression = "{'celsius': data.t, 'fahrenheit': data.t * 9 / 5 + 32}";
    expect((await server.request('PUT', `/api/flows/${flowId}`, current, { 'if-match': '"1"' })).status).toBe(200);
    const id = (await server.request('POST', '/api/replays', { flowId, revision: 2 })).json.id as string;
    const status = await finished(id);
    expect(status.diff).toMatchObject({ identical: 0, changed: 1 });
    expect(status.changes[0]).toMatchObject({ nodeId: 'conv' });
  });

  it("sends a finished replay's final status as one done message on its live stream, which then ends", async () => {
    const flowId = await incident([9]);
    const id = (await server.request('POST', '/api/replays', { flowId })).json.id as string;
    await finished(id);
    const res = await server.open(`/api/replays/${id}/live`);
    expect(res.status).toBe(200);
    const { messages, ended } = await readSseStart(res, () => false);
    expect(ended).toBe(true);
    expect(messages.map((m) => m.event)).toEqual(['done']);
    expect(JSON.parse(messages[0]!.data)).toMatchObject({ id, state: 'done' });
  });
});

describe('what the replay routes refuse', () => {
  it('answers 400 naming the field of a bad request body', async () => {
    for (const [body, field] of [
      [{}, 'flowId'],
      [{ flowId: 'f', mode: 'fast' }, 'mode'],
      [{ flowId: 'f', speed: 0 }, 'speed'],
      [{ flowId: 'f', revision: 0 }, 'revision'],
      [{ flowId: 'f', from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'to'],
      [{ flowId: 'f', filter: { colour: 'red' } }, 'filter'],
    ] as const) {
      const res = await server.request('POST', '/api/replays', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.details[0].path, JSON.stringify(body)).toMatch(new RegExp(`^${field}`));
    }
  });

  it('answers 404 naming the flow or the revision that does not exist', async () => {
    const missing = await server.request('POST', '/api/replays', { flowId: 'f-missing' });
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({ code: 'not_found', details: [{ path: 'flowId' }] });
    expect(missing.json.error.message).toContain('f-missing');

    const flowId = (await server.request('POST', '/api/flows', flow)).json.id as string;
    const revision = await server.request('POST', '/api/replays', { flowId, revision: 7 });
    expect(revision.status).toBe(404);
    expect(revision.json.error).toMatchObject({ details: [{ path: 'revision' }] });
  });

  it('answers 404 for a replay that does not exist, and 400 naming an id or a limit out of bounds', async () => {
    for (const path of ['/api/replays/nope', '/api/replays/nope/events', '/api/replays/nope/effects', '/api/replays/nope/live']) {
      const res = await server.request('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.json.error.message).toContain('"nope"');
    }
    const long = await server.request('GET', `/api/replays/${'x'.repeat(65)}`);
    expect(long.status).toBe(400);
    expect(long.json.error.details[0].path).toBe('id');
    const limit = await server.request('GET', '/api/replays?limit=0');
    expect(limit.status).toBe(400);
    expect(limit.json.error.details[0].path).toBe('limit');
  });

  it('answers 429 too_many_replays with Retry-After beyond the cap; a cancel ends the running one, partial', async () => {
    await restart({ replays: { maxRunning: 1, maxRunningPerFlow: 1 } });
    // Readings a minute apart in event time, replayed at their own pace: the replay waits between them.
    const flowId = await incident([9, 10], 60_000);
    const slow = await server.request('POST', '/api/replays', { flowId, speed: 1 });
    expect(slow.status).toBe(202);

    const refused = await server.request('POST', '/api/replays', { flowId });
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('too_many_replays');
    expect(refused.headers.get('retry-after')).not.toBeNull();

    const cancelled = await server.request('POST', `/api/replays/${slow.json.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({ state: 'cancelled', partial: true });
    const again = await server.request('POST', `/api/replays/${slow.json.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('replay_ended');
    expect((await server.request('POST', '/api/replays', { flowId })).status).toBe(202);
  });

  it('answers 403 to a live replay asked for by an editor: it needs the admin role', async () => {
    await restart({ tokens: parseTokens('eddie:editor:editor-secret-1,ada:admin:admin-secret-1') });
    const editor = { authorization: 'Bearer editor-secret-1' };
    const flowId = (await server.request('POST', '/api/flows', flow, editor)).json.id as string;
    const live = await server.request('POST', '/api/replays', { flowId, mode: 'live' }, editor);
    expect(live.status).toBe(403);
    expect(live.json.error).toMatchObject({ code: 'forbidden', details: [{ path: 'Authorization', required: 'admin' }] });
    expect((await server.request('POST', '/api/replays', { flowId, mode: 'dry-run' }, editor)).status).toBe(202);
  });

  it('names the token that started a replay, in its status and in the list', async () => {
    await restart({ tokens: parseTokens('eddie:editor:editor-secret-1') });
    const editor = { authorization: 'Bearer editor-secret-1' };
    const flowId = (await server.request('POST', '/api/flows', flow, editor)).json.id as string;
    const id = (await server.request('POST', '/api/replays', { flowId }, editor)).json.id as string;
    expect((await server.request('GET', `/api/replays/${id}`, undefined, editor)).json).toMatchObject({ startedBy: 'eddie', flowName: 'replayed' });
    const list = await server.request('GET', '/api/replays', undefined, editor);
    expect(list.json.replays[0]).toMatchObject({ id, startedBy: 'eddie', flowName: 'replayed' });
  });
});
