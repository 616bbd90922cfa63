/**
 * Replays: start one (202 with its id; 429 beyond the caps of `[replays]`), list them (newest first), follow its
 * progress — by polling its status or over SSE (`/live`: `status` messages while it runs, then one `done` message
 * with the final status, then the stream closes) —, cancel it (its final status; 409 once it has ended), and read
 * its diff, the events it produced and the effects its sinks recorded. Starting or cancelling a live replay (sinks
 * really send) needs the admin role; a dry-run one, editor.
 */
import { Hono, type Context } from 'hono';
import { ReplayRequestSchema, type ReplayStatus } from '../../../shared/api/replays.js';
import { ReplayRegistry } from '../../replay/registry.js';
import type { ReplayTiming } from '../../replay/run.js';
import { throttleLatest } from '../../replay/throttle.js';
import { requireRole } from '../auth.js';
import { readJson } from '../body.js';
import { contractOf, paramsOf, queryOf, reply } from '../contract.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { ApiError, notFound, parseWith } from '../errors.js';
import { sseResponse } from '../sse.js';
import { DEFAULT_HEARTBEAT_MS } from './live.js';

/** The least time between two `status` messages of a replay's live stream (ms). */
export const REPLAY_LIVE_INTERVAL_MS = 100;

/** What a list shows of a replay: everything but the listed changes. */
const summaryOf = ({ changes: _changes, ...summary }: ReplayStatus) => summary;

/** What makes two statuses of a running replay different enough to send again. */
const progressOf = (s: ReplayStatus) => `${s.state} ${s.input} ${s.processed} ${s.effects}`;

export interface ReplayRouteOptions {
  registry?: ReplayRegistry;
  timing?: Partial<ReplayTiming>;
  /** The least time between two `status` messages of `/live` (ms). */
  liveIntervalMs?: number;
}

/** The server's replays, run as its engine runs flows; its shutdown waits for them to save. */
export function replayRegistryOf(deps: AppDeps, timing?: Partial<ReplayTiming>): ReplayRegistry {
  const { store, config, logger } = deps;
  const registry = new ReplayRegistry(store, {
    process: config.process,
    shutdown: deps.shutdown,
    log: (message, details) => logger.warn(details ?? {}, message),
    limits: { running: config.replays.maxRunning, perFlow: config.replays.maxRunningPerFlow },
    userCode: deps.engine.userCode,
    compile: deps.engine.compileOptions,
    ...(timing ? { timing } : {}),
  });
  deps.beforeClose?.(() => registry.settled());
  return registry;
}

export function replayRoutes(deps: AppDeps, options: ReplayRouteOptions = {}): Hono<AppEnv> {
  const { store, config, logger } = deps;
  const log = (message: string, details?: Record<string, unknown>) => logger.warn(details ?? {}, message);
  const registry = options.registry ?? replayRegistryOf(deps, options.timing);
  const heartbeatMs = deps.live?.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const liveIntervalMs = options.liveIntervalMs ?? REPLAY_LIVE_INTERVAL_MS;
  const app = new Hono<AppEnv>();
  const api = contractOf(config);

  app.post('/replays', async (c) => {
    queryOf(c, api.startReplay);
    const body = parseWith(ReplayRequestSchema, await readJson(c, config.bus.bodyLimitBytes), [], 'replay');
    if (body.mode === 'live') requireRole(c.get('principal'), 'admin');
    const flow = body.revision === undefined ? await store.flows.get(body.flowId) : await store.flows.revision(body.flowId, body.revision);
    if (!flow) {
      const what = body.revision === undefined ? `flow "${body.flowId}"` : `revision ${body.revision} of flow "${body.flowId}"`;
      throw new ApiError(404, 'not_found', `${what} does not exist`, [{ path: body.revision === undefined ? 'flowId' : 'revision', message: 'not found' }]);
    }
    const run = await registry.start({ ...body, startedBy: c.get('principal').name }, flow);
    return reply(c, api.startReplay, { id: run.id });
  });

  app.get('/replays', async (c) => {
    const q = queryOf(c, api.listReplays);
    return reply(c, api.listReplays, { replays: (await registry.list(q.limit)).map(summaryOf) });
  });

  const replayOf = async (c: Context<AppEnv>) => {
    const { id } = paramsOf(c, api.getReplay);
    const replay = await registry.get(id);
    if (!replay) throw notFound(`replay "${id}"`);
    return replay;
  };

  app.get('/replays/:id', async (c) => {
    queryOf(c, api.getReplay);
    return reply(c, api.getReplay, (await replayOf(c)).status);
  });

  app.get('/replays/:id/live', async (c) => {
    queryOf(c, api.replayLive);
    const { status: first } = await replayOf(c);
    const onError = (error: unknown) => log('replay live stream failed', { replayId: first.id, error: String(error) });
    return sseResponse(c, { heartbeatMs, shutdown: deps.shutdown, onError }, async (channel) => {
      let ended = false;
      const throttle = throttleLatest((status: ReplayStatus) => void channel.send('status', status), liveIntervalMs);
      const finish = (status: ReplayStatus) => {
        if (ended) return;
        ended = true;
        throttle.cancel();
        void channel.send('done', status).finally(() => channel.end());
      };
      if (first.state !== 'running') {
        finish(first);
        return () => undefined;
      }
      let sent = progressOf(first);
      throttle.push(first);
      const stop = registry.watch(first.id, (status) => {
        if (status.state !== 'running') return finish(status);
        const progress = progressOf(status);
        if (progress === sent) return;
        sent = progress;
        throttle.push(status);
      });
      // It may have ended between the first read and the watch.
      const now = await registry.get(first.id);
      if (now && now.status.state !== 'running') finish(now.status);
      return () => {
        stop();
        throttle.cancel();
      };
    });
  });

  app.post('/replays/:id/cancel', async (c) => {
    queryOf(c, api.cancelReplay);
    const { status } = await replayOf(c);
    if (status.mode === 'live') requireRole(c.get('principal'), 'admin');
    const final = await registry.cancel(status.id);
    if (!final) throw notFound(`replay "${status.id}"`);
    return reply(c, api.cancelReplay, final);
  });

  app.get('/replays/:id/events', async (c) => {
    const q = queryOf(c, api.replayEvents);
    const { status } = await replayOf(c);
    const limit = q.limit ?? Math.min(1000, config.processing.maxQueryLimit);
    const events = await store.read({ namespace: status.namespace, after: q.after ?? 0, limit });
    const last = events[events.length - 1];
    return reply(c, api.replayEvents, { events, next: events.length >= limit && last ? last.position : null });
  });

  app.get('/replays/:id/effects', async (c) => {
    queryOf(c, api.replayEffects);
    return reply(c, api.replayEffects, { effects: (await replayOf(c)).effects });
  });

  return app;
}
