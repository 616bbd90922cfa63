/**
 * The timeline's read route: `GET /api/timeline/events` answers pages of live events in the compact columnar form
 * of shared/timeline-page.ts (no payloads), newest first (`order=newest`, then `before=<next>`) or oldest first
 * (`after=<next>`), with the filters of `GET /api/events` and a text search in payloads (at most 256 characters,
 * every one literal). Pages are larger than the event query's, up to 50,000 events (shared/api/timeline.ts).
 * A page goes out as JSON text written while it is read, a part at a time (the same JSON as `encodeTimelinePage`).
 * `GET /api/timeline/density` counts the events of each process per slice of time over the whole store (or a
 * range), in the database: the overview the diagram draws above itself.
 * `execution=<id>` reads one imported execution instead of the live events.
 */
import { Hono } from 'hono';
import { TIMELINE_PAGE } from '../../../shared/api/timeline.js';
import { DENSITY_BUCKETS } from '../../../shared/timeline-density.js';
import { TimelinePageJson } from '../../../shared/timeline-page-json.js';
import { contractOf, queryOf, reply, replyJsonPieces } from '../contract.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { executionNamespace } from '../../imports/catalog.js';
import { eventFilterOf } from '../query.js';
import { scanTimeline, type TimelineRead } from './timeline-read.js';

export function timelineRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const api = contractOf(deps.config);
  app.get('/timeline/events', async (c) => {
    const q = queryOf(c, api.timelineEvents);
    const read: TimelineRead = { filter: eventFilterOf(q), limit: q.limit ?? TIMELINE_PAGE.default, order: q.order ?? 'oldest' };
    if (q.after !== undefined) read.after = q.after;
    if (q.before !== undefined) read.before = q.before;
    if (q.text !== undefined) read.text = q.text;
    if (q.execution !== undefined) read.namespace = executionNamespace(q.execution);
    // Written as text while it is read (shared/timeline-page-json.ts): a page of 50,000 events is held as about
    // its answer's size, never as 50,000 events and their columns.
    const page = new TimelinePageJson();
    const { next } = await scanTimeline(deps.store, read, (e) => page.add(e));
    return replyJsonPieces(c, api.timelineEvents, page.chunks(next));
  });
  app.get('/timeline/density', async (c) => {
    const q = queryOf(c, api.timelineDensity);
    const density = await deps.store.density({
      buckets: q.buckets ?? DENSITY_BUCKETS.default,
      ...(q.from !== undefined ? { from: Date.parse(q.from) } : {}),
      ...(q.to !== undefined ? { to: Date.parse(q.to) } : {}),
    });
    return reply(c, api.timelineDensity, density);
  });
  return app;
}
