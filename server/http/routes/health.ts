/**
 * `GET /api/health` (open to anyone; says whether tokens are required), `GET /api/whoami` (the caller's token
 * name and role), `GET /api/cluster` (the replicas and what each runs; a process alone lists itself) and
 * `GET /metrics` (Prometheus text; needs a token when tokens are set, see auth.ts; 404 when metrics are off).
 */
import { Hono } from 'hono';
import { contractOf, queryOf, reply } from '../contract.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { ApiError } from '../errors.js';

export function healthRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const api = contractOf(deps.config);
  const auth = deps.config.tokens.length > 0 ? 'token' : 'none';
  app.get('/api/health', (c) => reply(c, api.health, { status: 'ok', process: deps.config.process, store: deps.store.kind, version: deps.version ?? 'dev', auth }));
  app.get('/api/whoami', (c) => {
    queryOf(c, api.whoami);
    const { name, role } = c.get('principal');
    return reply(c, api.whoami, { name, role, auth });
  });
  app.get('/api/cluster', async (c) => {
    queryOf(c, api.cluster);
    if (deps.cluster) return reply(c, api.cluster, await deps.cluster.describe());
    const flows = Object.fromEntries(deps.engine.running().map((flowId) => [flowId, [0]]));
    return reply(c, api.cluster, {
      cluster: null,
      partitions: 1,
      leaseMs: deps.config.cluster.leaseMs,
      processes: [{ name: deps.config.process, alive: true, lastSeen: new Date().toISOString(), flows }],
    });
  });
  const { metrics } = deps;
  app.get('/metrics', async (c) => {
    // Off: a 404 of its own, before the web app (which answers any other page) is asked.
    if (!metrics) throw new ApiError(404, 'not_found', 'GET /metrics: metrics are off on this server (server.metrics = false)');
    c.header('Content-Type', metrics.registry.contentType);
    return c.body(await metrics.text());
  });
  return app;
}
