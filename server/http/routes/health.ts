/**
 * `GET /api/health` (open to anyone; says whether tokens are required), `GET /api/whoami` (the caller's token
 * name and role) and `GET /metrics` (Prometheus text; needs a token when tokens are set, see auth.ts).
 */
import { Hono } from 'hono';
import type { Health, WhoAmI } from '../../../shared/session.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { noQuerySchema, parseQuery } from '../query.js';

export function healthRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const auth = deps.config.tokens.length > 0 ? 'token' : 'none';
  app.get('/api/health', (c) =>
    c.json({ status: 'ok', process: deps.config.process, store: deps.store.kind, version: deps.version ?? 'dev', auth } satisfies Health),
  );
  app.get('/api/whoami', (c) => {
    parseQuery(noQuerySchema, c.req.queries());
    const { name, role } = c.get('principal');
    return c.json({ name, role, auth } satisfies WhoAmI);
  });
  app.get('/metrics', async (c) => {
    c.header('Content-Type', deps.metrics.registry.contentType);
    return c.body(await deps.metrics.text());
  });
  return app;
}
