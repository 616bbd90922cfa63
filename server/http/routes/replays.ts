/**
 * Replays: start one (202 with its id), follow its progress and diff, read the events it produced. A live
 * replay (sinks really send) needs the admin role; a dry-run one, editor.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ReplayRegistry } from '../../replay/registry.js';
import { ReplayRequestSchema } from '../../replay/request.js';
import type { ReplayTiming } from '../../replay/run.js';
import { requireRole } from '../auth.js';
import { readJson } from '../body.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { ApiError, notFound, parseWith } from '../errors.js';
import { noQuerySchema, parseQuery } from '../query.js';

const ReplayIdParam = z.string().min(1).max(64, 'at most 64 characters');

const position = z.string().regex(/^\d{1,15}$/, 'expected a non-negative integer').transform(Number);
const eventsQuerySchema = (max: number) =>
  z.strictObject({
    after: position.optional(),
    limit: z
      .string()
      .regex(/^\d{1,6}$/, `expected an integer from 1 to ${max}`)
      .transform(Number)
      .pipe(z.number().int().min(1, `expected an integer from 1 to ${max}`).max(max, `expected an integer from 1 to ${max}`))
      .optional(),
    access_token: z.string().optional(),
  });

export function replayRoutes(deps: AppDeps, options: { registry?: ReplayRegistry; timing?: ReplayTiming } = {}): Hono<AppEnv> {
  const { store, config } = deps;
  const registry = options.registry ?? new ReplayRegistry(store, options.timing);
  const app = new Hono<AppEnv>();

  app.post('/replays', async (c) => {
    parseQuery(noQuerySchema, c.req.queries());
    const body = parseWith(ReplayRequestSchema, await readJson(c, config.bus.bodyLimitBytes), [], 'replay');
    if (body.mode === 'live') requireRole(c.get('principal'), 'admin');
    const flow = body.revision === undefined ? await store.flows.get(body.flowId) : await store.flows.revision(body.flowId, body.revision);
    if (!flow) {
      const what = body.revision === undefined ? `flow "${body.flowId}"` : `revision ${body.revision} of flow "${body.flowId}"`;
      throw new ApiError(404, 'not_found', `${what} does not exist`, [{ path: body.revision === undefined ? 'flowId' : 'revision', message: 'not found' }]);
    }
    const run = registry.start(body, flow);
    return c.json({ id: run.id }, 202);
  });

  app.get('/replays', (c) => {
    parseQuery(noQuerySchema, c.req.queries());
    return c.json({ replays: registry.list() });
  });

  const runOf = (c: Context<AppEnv>) => {
    const id = parseWith(ReplayIdParam, c.req.param('id'), ['id'], 'replay id');
    const run = registry.get(id);
    if (!run) throw notFound(`replay "${id}"`);
    return run;
  };

  app.get('/replays/:id', (c) => {
    parseQuery(noQuerySchema, c.req.queries());
    return c.json(runOf(c).status());
  });

  app.get('/replays/:id/events', async (c) => {
    const q = parseQuery(eventsQuerySchema(config.processing.maxQueryLimit), c.req.queries());
    const run = runOf(c);
    const limit = q.limit ?? Math.min(1000, config.processing.maxQueryLimit);
    const events = await store.read({ namespace: run.namespace, after: q.after ?? 0, limit });
    const last = events[events.length - 1];
    return c.json({ events, next: events.length >= limit && last ? last.position : null });
  });

  app.get('/replays/:id/effects', (c) => {
    parseQuery(noQuerySchema, c.req.queries());
    return c.json({ effects: runOf(c).effects.slice(0, 1000) });
  });

  return app;
}
