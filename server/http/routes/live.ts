/**
 * Live streams (server-sent events):
 * - `GET /api/events/live?after=&type=&flowId=` — one `event` message per stored event (SSE `id:` = its
 *   position), catching up from `after` (or the `Last-Event-ID` a reconnecting client sends), then live.
 *   Without either, only events stored from now on (`after=0` asks for everything).
 * - `GET /api/flows/:id/live` — the editor's stream: `status` messages (state and node counters) on a tick and
 *   `debug` messages for events reaching the flow's debug nodes.
 */
import { Hono } from 'hono';
import type { DebugMessage } from '../../runtime/flow-runtime.js';
import type { SubscribeOptions } from '../../store/types.js';
import { IdSchema } from '../../../shared/flow.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { notFound, parseWith } from '../errors.js';
import { liveQuerySchema, noQuerySchema, parseQuery } from '../query.js';
import { sseResponse } from '../sse.js';

export const DEFAULT_HEARTBEAT_MS = 15_000;
export const DEFAULT_STATUS_MS = 1000;
const MAX_PENDING_DEBUG = 256;

export function liveRoutes(deps: AppDeps): Hono<AppEnv> {
  const { store, engine, logger } = deps;
  const heartbeatMs = deps.live?.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const statusMs = deps.live?.statusMs ?? DEFAULT_STATUS_MS;
  const app = new Hono<AppEnv>();
  const onError = (error: unknown) => logger.warn({ error: String(error) }, 'live stream failed');

  app.get('/events/live', async (c) => {
    const q = parseQuery(liveQuerySchema, c.req.queries());
    const lastEventId = c.req.header('last-event-id');
    const resumed = lastEventId !== undefined && /^\d{1,15}$/.test(lastEventId.trim()) ? Number(lastEventId) : undefined;
    const after = q.after ?? resumed ?? (await store.head());
    return sseResponse(c, { heartbeatMs, shutdown: deps.shutdown, onError }, async (channel) => {
      const options: SubscribeOptions = {
        after,
        onEvents: async (events) => {
          for (const event of events) {
            if (channel.closed) return;
            await channel.send('event', event, String(event.position));
          }
        },
        onError: (error) => {
          onError(error);
          channel.end();
        },
        batchSize: 200,
      };
      if (q.type && q.type.length > 0) options.types = q.type;
      if (q.flowId !== undefined) options.flowId = q.flowId;
      const subscription = store.subscribe(options);
      return () => subscription.close();
    });
  });

  app.get('/flows/:id/live', async (c) => {
    parseQuery(noQuerySchema, c.req.queries());
    const flowId = parseWith(IdSchema, c.req.param('id'), ['id'], 'flow id');
    if (!(await store.flows.get(flowId))) throw notFound(`flow "${flowId}"`);
    return sseResponse(c, { heartbeatMs, shutdown: deps.shutdown, onError }, (channel) => {
      const sendStatus = () => {
        const status = engine.status(flowId);
        void channel.send('status', { state: status.state, revision: status.revision, nodes: status.nodes, error: status.error });
      };
      sendStatus();
      const ticker = setInterval(sendStatus, statusMs);
      // A slow client misses debug messages rather than letting them pile up in memory.
      let pending = 0;
      const off = engine.onDebug((m: DebugMessage) => {
        if (m.flowId !== flowId || pending >= MAX_PENDING_DEBUG) return;
        pending++;
        void channel.send('debug', { nodeId: m.nodeId, event: m.event }, String(m.event.position)).finally(() => pending--);
      });
      return () => {
        clearInterval(ticker);
        off();
      };
    });
  });

  return app;
}
