/** `GET /api/node-types`, the palette, in-process: one entry per shared node type definition, with what a form needs. */
import { afterAll, describe, expect, it } from 'vitest';
import { NODE_TYPES } from '../../../shared/nodes/index.js';
import { inProcessApp } from '../testing/in-process.js';

const server = inProcessApp();
afterAll(() => server.close());

describe('GET /api/node-types', () => {
  it('lists every node type once, in the order of the definitions, with its kind, ports and look', async () => {
    const { status, json } = await server.request('GET', '/api/node-types');
    expect(status).toBe(200);
    expect(json.nodeTypes.map((t: { type: string }) => t.type)).toEqual(NODE_TYPES.map((d) => d.type));
    const filter = json.nodeTypes.find((t: { type: string }) => t.type === 'filter');
    expect(filter).toMatchObject({ kind: 'processor', behaviour: 'forward', inputs: ['in'], outputs: ['out'], palette: { label: expect.any(String), colour: expect.any(String) } });
    const http = json.nodeTypes.find((t: { type: string }) => t.type === 'http');
    expect(http).toMatchObject({ kind: 'source', inputs: [] });
  });

  it("gives each type's config as JSON Schema, and its defaults when every field has one", async () => {
    const { json } = await server.request('GET', '/api/node-types');
    const filter = json.nodeTypes.find((t: { type: string }) => t.type === 'filter');
    expect(filter.configSchema).toMatchObject({ type: 'object', properties: { expression: expect.any(Object) } });
    const timer = json.nodeTypes.find((t: { type: string }) => t.type === 'timer');
    expect(timer.defaults).toMatchObject({ intervalMs: expect.any(Number) });
  });

  it("gives an actor the server's defaults for the fields they cover, so a node made in the editor starts from them", async () => {
    const actorOf = (json: { nodeTypes: { type: string }[] }) => json.nodeTypes.find((t) => t.type === 'actor') as unknown as { configSchema: { properties: Record<string, { default?: unknown }> }; defaults: Record<string, unknown> };
    const plain = actorOf((await server.request('GET', '/api/node-types')).json);
    expect(plain.configSchema.properties.strategy!.default).toBe('restart');
    const tuned = inProcessApp({ config: { actors: { strategy: 'stop', timeoutMs: 250, snapshotEvery: 5 } } });
    try {
      const actor = actorOf((await tuned.request('GET', '/api/node-types')).json);
      expect(actor.configSchema.properties.strategy!.default).toBe('stop');
      expect(actor.configSchema.properties.timeoutMs!.default).toBe(250);
      expect(actor.configSchema.properties.snapshotEvery!.default).toBe(5);
      // Other types keep their own.
      const fn = (await tuned.request('GET', '/api/node-types')).json.nodeTypes.find((t: { type: string }) => t.type === 'function');
      expect(fn.configSchema.properties.timeoutMs.default).toBe(50);
    } finally {
      await tuned.close();
    }
  });

  it('answers 400 naming a query parameter it does not take', async () => {
    const { status, json } = await server.request('GET', '/api/node-types?kind=source');
    expect(status).toBe(400);
    expect(json.error.code).toBe('validation_failed');
    expect(json.error.message).toContain('kind');
  });
});
