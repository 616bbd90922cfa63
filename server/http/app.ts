/**
 * The HTTP API as a Hono app: security headers on every answer, auth, request metrics, one route group per
 * module, the web app for everything else. Errors always have the shape `{"error": {"code", "message", "details"}}`; unknown routes are a JSON 404.
 */
import { Hono, type Context } from 'hono';
import { authMiddleware } from './auth.js';
import type { AppDeps, AppEnv } from './deps.js';
import { errorBody, toErrorResponse } from './errors.js';
import { docsRoutes } from './routes/docs.js';
import { eventRoutes } from './routes/events.js';
import { flowTestRoutes } from './routes/flow-tests.js';
import { flowRoutes } from './routes/flows.js';
import { healthRoutes } from './routes/health.js';
import { importRoutes } from './routes/imports.js';
import { liveRoutes } from './routes/live.js';
import { nodeTypeRoutes } from './routes/node-types.js';
import { deadLetterRoutes } from './routes/deadletters.js';
import { replayRegistryOf, replayRoutes } from './routes/replays.js';
import { timelineRoutes } from './routes/timeline.js';
import { timelineSearchRoutes } from './routes/timeline-search.js';
import { urlTextError } from './request-text.js';
import { SECURITY_HEADERS } from './web.js';
import { createSseHub } from './sse-hub.js';

export type { AppDeps, AppEnv } from './deps.js';

export interface AppOptions {
  /** Answers GETs outside `/api` and `/metrics` (the web app); null: not handled → 404. */
  web?: (c: Context<AppEnv>) => Promise<Response | null>;
}

export function createApp(deps: AppDeps, options: AppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { metrics, logger } = deps;

  if (metrics) {
    app.use('*', async (c, next) => {
      await next();
      const route = c.req.routePath && c.req.routePath !== '/*' ? c.req.routePath : 'unmatched';
      metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    });
  }
  app.use('*', async (c, next) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
    await next();
  });
  app.use('*', authMiddleware(deps.config.tokens));
  const sse = createSseHub(deps.config.http);
  app.use('/api/*', async (c, next) => {
    const refused = urlTextError(c.req.url);
    if (refused) throw refused;
    c.set('sse', sse);
    await next();
  });

  app.route('/', healthRoutes(deps));
  // Live routes first: `/api/events/live` must win over `/api/events/:id`.
  app.route('/api', liveRoutes(deps));
  app.route('/api', flowTestRoutes(deps));
  app.route('/api', flowRoutes(deps));
  app.route('/api', eventRoutes(deps));
  app.route('/api', nodeTypeRoutes(deps));
  app.route('/api', timelineRoutes(deps));
  app.route('/api', timelineSearchRoutes(deps));
  // One registry: re-drives are replays, counted by the same caps and listed with them.
  const replays = replayRegistryOf(deps);
  app.route('/api', replayRoutes(deps, { registry: replays }));
  app.route('/api', deadLetterRoutes(deps, replays));
  app.route('/api', importRoutes(deps));
  app.route('/api', docsRoutes(deps));

  const web = options.web;
  if (web) {
    app.get('*', async (c, next) => {
      if (c.req.path === '/api' || c.req.path.startsWith('/api/')) return next();
      return (await web(c)) ?? next();
    });
  }

  app.notFound((c) => c.json(errorBody('not_found', `${c.req.method} ${c.req.path}: no such route`), 404));
  app.onError((error, c) => toErrorResponse(c, error, (e) => logger.error({ err: e, method: c.req.method, path: c.req.path }, 'request failed')));
  return app;
}
