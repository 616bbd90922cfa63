/**
 * Subflows and links through the real app on an in-memory store: one subflow used by two deployed flows; an event
 * published once runs through both instances (under namespaced node ids), and one flow's link-out reaches another
 * flow's link-in through the store; each instance's status counts what went in and out at its ports. Saving a new
 * revision of the subflow redeploys both flows with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowStatus } from '../../../shared/api/flows.js';
import type { StoredEvent } from '../../../shared/event.js';
import type { Causeway } from '../../start.js';
import { startTestServer } from '../../testing/test-server.js';

let server: Causeway;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await server.app.request(path, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
};

const tagger = (type: string) => ({
  id: 'sf-tag',
  name: 'Tag readings',
  nodes: [
    { id: 'in', type: 'subflow-in' },
    { id: 't', type: 'transform', config: { expression: "{'v': data.t}", type } },
    { id: 'out', type: 'subflow-out', config: { port: 'out' } },
  ],
  edges: [
    { id: 'w1', source: 'in', target: 't' },
    { id: 'w2', source: 't', target: 'out' },
  ],
});

const user = (id: string, last: Record<string, unknown>) => ({
  id,
  name: id,
  nodes: [
    { id: 'in', type: 'http', config: { types: ['reading.*'] } },
    { id: 'tag', type: 'subflow', config: { subflow: 'sf-tag', outputs: ['out'] } },
    { id: 'last', ...last },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'tag' },
    { id: 'e2', source: 'tag', target: 'last' },
  ],
});

const linked = {
  id: 'f-linked',
  name: 'linked',
  nodes: [
    { id: 'from', type: 'link-in', config: { link: 'tagged' } },
    { id: 'seen', type: 'transform', config: { expression: 'data', type: 'linked.seen' } },
    { id: 'show', type: 'debug' },
  ],
  edges: [
    { id: 'e1', source: 'from', target: 'seen' },
    { id: 'e2', source: 'seen', target: 'show' },
  ],
};

async function eventsOf(type: string, count: number): Promise<StoredEvent[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { body } = await send('GET', `/api/events?type=${type}&limit=100`);
    const events = body.events as StoredEvent[];
    if (events.length >= count) return events;
    if (Date.now() > deadline) throw new Error(`waited for ${count} ${type} events, saw ${events.length}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The flow's status once `ready` holds of it (counters move a moment after the events are stored). */
async function statusWhen(flowId: string, ready: (status: FlowStatus) => boolean): Promise<FlowStatus> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const status = (await send('GET', `/api/flows/${flowId}/status`)).body as unknown as FlowStatus;
    if (ready(status)) return status;
    if (Date.now() > deadline) throw new Error(`waited for the status of ${flowId}, saw ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let published = 0;
const publish = async () => {
  const res = await server.app.request('/api/events', {
    method: 'POST',
    body: JSON.stringify({ specversion: '1.0', id: `r-${++published}`, source: 'test', type: 'reading.recorded', data: { t: published } }),
    headers: { 'content-type': 'application/cloudevents+json' },
  });
  expect(res.status).toBe(202);
};

describe('subflows and links, deployed', () => {
  it('runs one subflow in two flows, carries events across a link, and redeploys both with a new subflow revision', async () => {
    expect((await send('POST', '/api/flows', tagger('tagged.v1'))).status).toBe(201);
    expect((await send('POST', '/api/flows', user('f-a', { type: 'debug' }))).status).toBe(201);
    expect((await send('POST', '/api/flows', user('f-b', { type: 'link-out', config: { link: 'tagged' } }))).status).toBe(201);
    expect((await send('POST', '/api/flows', linked)).status).toBe(201);
    for (const id of ['f-a', 'f-b', 'f-linked']) expect((await send('POST', `/api/flows/${id}/deploy`, {})).status, id).toBe(200);

    await publish();
    const first = await eventsOf('tagged.v1', 3);
    // Each instance derives under its namespaced id; f-b's link-out appends to the link's stream.
    expect(first.map((e) => [e.flowId, e.nodeId, e.stream]).sort()).toEqual([
      ['f-a', 'tag.t', 'flow/f-a/tag.t'],
      ['f-b', 'last', 'link/tagged'],
      ['f-b', 'tag.t', 'flow/f-b/tag.t'],
    ]);
    const [seen] = await eventsOf('linked.seen', 1);
    const linkEvent = first.find((e) => e.stream === 'link/tagged')!;
    expect(seen).toMatchObject({ flowId: 'f-linked', nodeId: 'seen', causationId: linkEvent.id, correlationId: linkEvent.correlationId, data: { v: 1 } });
    // The instance counts what its nodes took in at its input and sent at its output.
    const counted = await statusWhen('f-a', (s) => s.nodes['tag.t']?.out === 1);
    expect(counted.instances).toEqual({ tag: expect.objectContaining({ in: 1, out: 1, errors: 0, queued: 0 }) });
    expect(counted.instances?.tag?.lastAt).toBe(counted.nodes['tag.t']?.lastAt);

    // A new subflow revision reaches both running flows, at their same revisions.
    const saved = await send('PUT', '/api/flows/sf-tag', tagger('tagged.v2'), { 'if-match': '"1"' });
    expect(saved.status).toBe(200);
    await publish();
    const second = await eventsOf('tagged.v2', 2);
    expect(second.filter((e) => e.nodeId === 'tag.t').map((e) => e.flowId).sort()).toEqual(['f-a', 'f-b']);
    expect((await send('GET', '/api/flows/f-a/status')).body).toMatchObject({ state: 'running', revision: 1 });
    expect((await eventsOf('tagged.v1', 3)).length).toBe(3);
    // Its counters go on across the redeploy, as the nodes' do; a flow without instances has none.
    expect((await statusWhen('f-a', (s) => s.instances?.tag?.out === 2)).instances?.tag).toMatchObject({ in: 2, out: 2 });
    expect((await send('GET', '/api/flows/f-linked/status')).body).not.toHaveProperty('instances');
  });

  it('validates a flow with its subflows read from the store, and names a missing one', async () => {
    const ok = await send('POST', '/api/flows/validate', user('f-v', { type: 'debug' }));
    expect(ok.body).toMatchObject({ ok: true });
    const missing = user('f-v', { type: 'debug' });
    missing.nodes[1] = { id: 'tag', type: 'subflow', config: { subflow: 'sf-none', outputs: ['out'] } };
    const answer = await send('POST', '/api/flows/validate', missing);
    expect(answer.body).toMatchObject({ ok: false, errors: [{ code: 'unknown_subflow', nodeId: 'tag', path: 'config.subflow' }] });
  });

  it('refuses to delete a subflow deployed flows use, naming them, and deletes it once none does', async () => {
    const refused = await send('DELETE', '/api/flows/sf-tag');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: 'subflow_in_use', details: [{ flows: ['f-a', 'f-b'] }] } });
    for (const id of ['f-a', 'f-b']) expect((await send('POST', `/api/flows/${id}/stop`, {})).status).toBe(200);
    expect((await server.app.request('/api/flows/sf-tag', { method: 'DELETE' })).status).toBe(204);
  });
});
