/**
 * Live streams (server-sent events), shared by their clients (see `live-feed.ts`, `flow-feed.ts`):
 * - `GET /api/events/live?after=&type=&flowId=` — one `event` message per stored event (SSE `id:` = its
 *   position), catching up from `after` (or, when later, the `Last-Event-ID` a reconnecting client sends), then
 *   live. Without either, only events stored from now on (`after=0` asks for everything). A client that falls
 *   behind gets an `overflow` message naming the last id it got, and the stream closes.
 * - `GET /api/flows/:id/live` — the editor's stream: `status` messages (state and node counters) on a tick and
 *   `debug` messages for events reaching the flow's debug nodes.
 */
import { Hono } from 'hono';
import { contractOf, paramsOf, queryOf } from '../contract.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { notFound } from '../errors.js';
import { FlowFeeds } from '../flow-feed.js';
import { LiveFeed, type LiveFilter } from '../live-feed.js';
import { sseResponse } from '../sse.js';

export const DEFAULT_HEARTBEAT_MS = 15_000;
export const DEFAULT_STATUS_MS = 1000;

export function liveRoutes(deps: AppDeps): Hono<AppEnv> {
  const { store, engine, logger } = deps;
  const heartbeatMs = deps.live?.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const statusMs = deps.live?.statusMs ?? DEFAULT_STATUS_MS;
  const app = new Hono<AppEnv>();
  const api = contractOf(deps.config);
  const onError = (error: unknown) => logger.warn({ error: String(error) }, 'live stream failed');
  const events = new LiveFeed(store, { onError });
  const flows = new FlowFeeds(engine, statusMs);

  app.get('/events/live', async (c) => {
    const q = queryOf(c, api.eventsLive);
    const lastEventId = c.req.header('last-event-id');
    const resumed = lastEventId !== undefined && /^\d{1,15}$/.test(lastEventId.trim()) ? Number(lastEventId) : undefined;
    const after = q.after !== undefined && resumed !== undefined ? Math.max(q.after, resumed) : (q.after ?? resumed ?? (await store.head()));
    const filter: LiveFilter = {};
    if (q.type && q.type.length > 0) filter.types = q.type;
    if (q.flowId !== undefined) filter.flowId = q.flowId;
    return sseResponse(c, { heartbeatMs, shutdown: deps.shutdown, onError, resumable: true }, (channel) => events.follow(channel, filter, after));
  });

  app.get('/flows/:id/live', async (c) => {
    queryOf(c, api.flowLive);
    const { id: flowId } = paramsOf(c, api.flowLive);
    if (!(await store.flows.get(flowId))) throw notFound(`flow "${flowId}"`);
    return sseResponse(c, { heartbeatMs, shutdown: deps.shutdown, onError }, (channel) => flows.follow(flowId, channel));
  });

  return app;
}
