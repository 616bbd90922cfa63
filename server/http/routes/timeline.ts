/**
 * The timeline's read route: `GET /api/timeline/events` answers pages of live events in the compact columnar form
 * of shared/timeline-page.ts (no payloads), newest first (`order=newest`, then `before=<next>`) or oldest first
 * (`after=<next>`), with the filters of `GET /api/events` and a text search in payloads (at most 256 characters,
 * every one literal). Pages are larger than the event query's, up to 50,000 events.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { encodeTimelinePage } from '../../../shared/timeline-page.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { eventFilterOf, eventQuerySchema, parseQuery, position } from '../query.js';
import { readTimeline, type TimelineRead } from './timeline-read.js';

export const TIMELINE_PAGE = { default: 10_000, max: 50_000 } as const;

/** The longest payload search text (characters): beyond it, 400. */
export const MAX_SEARCH_TEXT = 256;

export const timelineQuerySchema = eventQuerySchema(TIMELINE_PAGE.max)
  .extend({
    before: position.optional(),
    order: z.enum(['oldest', 'newest']).optional(),
    text: z.string().min(1, 'must not be empty').max(MAX_SEARCH_TEXT, `at most ${MAX_SEARCH_TEXT} characters`).optional(),
  })
  .superRefine((q, ctx) => {
    const order = q.order ?? 'oldest';
    if (order === 'oldest' && q.before !== undefined) ctx.addIssue({ code: 'custom', path: ['before'], message: 'only with order=newest (use after when reading forwards)' });
    if (order === 'newest' && q.after !== undefined) ctx.addIssue({ code: 'custom', path: ['after'], message: 'only with order=oldest (use before when reading backwards)' });
  });

export function timelineRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/timeline/events', async (c) => {
    const q = parseQuery(timelineQuerySchema, c.req.queries());
    const read: TimelineRead = { filter: eventFilterOf(q), limit: q.limit ?? TIMELINE_PAGE.default, order: q.order ?? 'oldest' };
    if (q.after !== undefined) read.after = q.after;
    if (q.before !== undefined) read.before = q.before;
    if (q.text !== undefined) read.text = q.text;
    const { events, next } = await readTimeline(deps.store, read);
    return c.json(encodeTimelinePage(events, next));
  });
  return app;
}
