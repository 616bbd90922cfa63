/** `GET /api/health` (open to anyone) and `GET /metrics` (Prometheus text). */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../deps.js';

export function healthRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/api/health', (c) =>
    c.json({ status: 'ok', process: deps.config.process, store: deps.store.kind, version: deps.version ?? 'dev' }),
  );
  app.get('/metrics', async (c) => {
    c.header('Content-Type', deps.metrics.registry.contentType);
    return c.body(await deps.metrics.text());
  });
  return app;
}
