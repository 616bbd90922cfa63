/** The flow routes' bounds, in-process against a real app on an in-memory store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFlow } from '../../../shared/flow.js';
import { MAX_FLOW_DEPTH } from '../../compiler/document.js';
import type { Causeway } from '../../start.js';
import { startTestServer } from '../../testing/test-server.js';

let server: Causeway;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

/** A flow whose timer data nests `levels` objects deep, as the JSON text a client sends. */
const deepFlowText = (levels: number) =>
  `{"name":"deep","nodes":[{"id":"t","type":"timer","config":{"intervalMs":1000,"type":"tick","data":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}}],"edges":[]}`;

const send = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
  server.app.request(path, { method, ...(body !== undefined ? { body } : {}), headers: { 'content-type': 'application/json', ...headers } });

describe('a flow document nested too deep', () => {
  for (const levels of [5_000, 100_000]) {
    it(`is refused with a 400 naming the path by save, validate and update (${levels.toLocaleString('en')} deep)`, async () => {
      const text = deepFlowText(levels);
      const created = await send('POST', '/api/flows', deepFlowText(3));
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      for (const [method, path, headers] of [
        ['POST', '/api/flows/validate', {}],
        ['POST', '/api/flows', {}],
        ['PUT', `/api/flows/${id}`, { 'if-match': '"1"' }],
      ] as const) {
        const res = await send(method, path, text, headers);
        expect(res.status, `${method} ${path}`).toBe(400);
        const body = (await res.json()) as { error: { code: string; message: string; details: { path: string; nodeId: string }[] } };
        expect(body.error.code).toBe('validation_failed');
        expect(body.error.message).toBe(`nodes.0.config.data.a.a.a.a…: nests deeper than ${MAX_FLOW_DEPTH} levels (a flow document may nest at most ${MAX_FLOW_DEPTH})`);
        expect(body.error.details[0]).toMatchObject({ path: 'nodes.0.config.data.a.a.a.a…', nodeId: 't' });
      }
      expect((await (await send('GET', `/api/flows/${id}`)).json()) as { revision: number }).toMatchObject({ revision: 1 });
    });
  }

  it('is refused by deploy when it was stored before the bound existed', async () => {
    const document = parseFlow(JSON.parse(deepFlowText(MAX_FLOW_DEPTH + 10)));
    const { id } = await server.store.flows.create({ ...document, id: 'f-deep' });
    const res = await send('POST', `/api/flows/${id}/deploy`, '{}');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^nodes\.0\.config\.data\.a\.a\.a\.a…: nests deeper than/);
    expect(server.engine.running()).not.toContain(id);
  });

  it('still takes a flow nested right up to the bound', async () => {
    const res = await send('POST', '/api/flows', deepFlowText(MAX_FLOW_DEPTH - 5));
    expect(res.status).toBe(201);
  });
});

describe('a flow’s partition key', () => {
  const flowWith = (extra: Record<string, unknown>) => JSON.stringify({ name: 'sites', nodes: [{ id: 'in', type: 'http', config: {} }], edges: [], ...extra });

  it('is saved and read back with its revision; a revision without one has none', async () => {
    const created = await send('POST', '/api/flows', flowWith({ partitionKey: 'data.site' }));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(await (await send('GET', `/api/flows/${id}`)).json()).toMatchObject({ revision: 1, partitionKey: 'data.site' });
    expect((await send('PUT', `/api/flows/${id}`, flowWith({}), { 'if-match': '"1"' })).status).toBe(200);
    expect(await (await send('GET', `/api/flows/${id}`)).json()).not.toHaveProperty('partitionKey');
    expect(await (await send('GET', `/api/flows/${id}/revisions/1`)).json()).toMatchObject({ partitionKey: 'data.site' });
  });

  it('that is not text is refused with a 400 naming it', async () => {
    const res = await send('POST', '/api/flows', flowWith({ partitionKey: ['data.site'] }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^partitionKey: /);
  });

  it('that does not parse is saved, and validation names it', async () => {
    expect((await send('POST', '/api/flows', flowWith({ partitionKey: 'data.site )' }))).status).toBe(201);
    const res = await send('POST', '/api/flows/validate', flowWith({ partitionKey: 'data.site )' }));
    const answer = (await res.json()) as { ok: boolean; errors: { code: string; path: string; nodeId: string | null }[] };
    expect(answer.ok).toBe(false);
    expect(answer.errors).toEqual([expect.objectContaining({ code: 'jsonata_syntax', path: 'partitionKey', nodeId: null })]);
  });
});
