/**
 * The OpenAPI document the server serves: valid OpenAPI 3.1, listing exactly the routes the app serves (both ways,
 * naming any missing), each with the role auth.ts asks of it; open to anyone, as health is, with Swagger UI's page
 * beside it.
 */
import { tmpdir } from 'node:os';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeList } from '../../shared/api/index.js';
import { loadConfig } from '../config.js';
import { silentLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import { Engine } from '../runtime/engine.js';
import { openMemoryStore } from '../store/index.js';
import { createApp } from './app.js';
import { requiredRole } from './auth.js';
import { contractOf } from './contract.js';

let engine: Engine;
let app: ReturnType<typeof createApp>;
let config: ReturnType<typeof loadConfig>;

beforeAll(() => {
  const store = openMemoryStore();
  engine = new Engine({ store });
  config = loadConfig({ env: { CAUSEWAY_TOKENS: 'vera:viewer:viewer-secret-1' }, cwd: tmpdir() });
  app = createApp({ engine, store, config, metrics: createMetrics({ defaultMetrics: false }), logger: silentLogger(), version: '1.2.3' });
});
afterAll(async () => {
  await engine?.close();
});

interface Document {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, { operationId: string; security: Record<string, string[]>[] }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

const documentOf = async () => {
  const res = await app.request('/api/openapi.json');
  expect(res.status).toBe(200);
  return (await res.json()) as Document;
};

/** `GET /api/flows/{id}` for Hono's `/api/flows/:id`. */
const operation = (method: string, path: string) => `${method.toUpperCase()} ${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const document = await documentOf();
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe('1.2.3');
    const result = await new Validator().validate(document as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every route the app serves, and no route it does not serve', async () => {
    const document = await documentOf();
    // `ALL` entries are middleware (headers, auth, request checks), not routes.
    const served = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => operation(r.method, r.path)));
    const listed = new Set(Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => operation(method, path))));
    expect([...served].filter((o) => !listed.has(o)), 'served but not in the document').toEqual([]);
    expect([...listed].filter((o) => !served.has(o)), 'in the document but not served').toEqual([]);
    expect(served.size).toBeGreaterThan(30);
  });

  it('names for each route the role auth.ts asks of it, and the error envelope for its errors', async () => {
    const document = await documentOf();
    for (const spec of routeList(contractOf(config))) {
      const concrete = spec.path.replace(/\{[^}]+\}/g, 'x');
      const role = requiredRole(spec.method, concrete);
      expect(spec.role, `${spec.method} ${spec.path}`).toBe(role);
      const security = document.paths[spec.path]![spec.method]!.security;
      if (role === null) expect(security).toEqual([]);
      else expect(security[0]).toEqual({ bearerToken: [role] });
    }
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['accessToken', 'bearerToken']);
    expect(document.components.schemas.Error).toMatchObject({ properties: { error: { required: ['code', 'message', 'details'] } } });
  });

  it('describes each message of the event streams', async () => {
    const document = await documentOf();
    const live = document.paths['/api/replays/{id}/live']!.get as unknown as { 'x-sse-messages': Record<string, { $ref: string }> };
    expect(live['x-sse-messages']).toEqual({
      status: { $ref: '#/components/schemas/ReplayStatus' },
      done: { $ref: '#/components/schemas/ReplayStatus' },
      overflow: { $ref: '#/components/schemas/StreamOverflow' },
    });
    for (const { $ref } of Object.values(live['x-sse-messages'])) expect(document.components.schemas[$ref.split('/').pop()!]).toBeDefined();
  });

  it('lists, for each replay of the list, its flow by name, who started it and its diff counts', async () => {
    const document = await documentOf();
    const summary = document.components.schemas.ReplaySummary as { required: string[]; properties: Record<string, unknown> };
    expect(summary.required).toEqual(expect.arrayContaining(['flowId', 'flowName', 'revision', 'mode', 'state', 'diff', 'startedBy', 'startedAt']));
    expect(summary.properties).not.toHaveProperty('changes');
  });
});

describe('the API description without a token, on a server with tokens', () => {
  it('is open to anyone, as health is, while the rest of the API asks for a token', async () => {
    for (const path of ['/api/health', '/api/openapi.json', '/api/docs', '/api/docs/docs.js', '/api/docs/swagger-ui-bundle.js', '/api/docs/swagger-ui.css']) {
      expect((await app.request(path)).status, path).toBe(200);
    }
    expect((await app.request('/api/flows')).status).toBe(401);
  });

  it('is a page that loads Swagger UI and its start script from this server only, as the policy asks', async () => {
    const res = await app.request('/api/docs');
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = await res.text();
    const sources = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources).toEqual(['data:,', '/api/docs/swagger-ui.css', '/api/docs/swagger-ui-bundle.js', '/api/docs/docs.js']);
    expect(page).not.toMatch(/<script>[^<]|<style|style="/);
    const start = await (await app.request('/api/docs/docs.js')).text();
    expect(start).toContain("url: '/api/openapi.json'");
  });

  it('answers a file it does not serve with a 400 naming the parameter', async () => {
    const res = await app.request('/api/docs/index.html');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^file: /);
  });
});
