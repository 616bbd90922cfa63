/**
 * The timeline's read route: pages of live events in the compact columnar form of shared/timeline-page.ts (no
 * payloads), newest first (`order=newest`, then `before=<next>`) or oldest first (`after=<next>`), with the filters
 * of `GET /api/events` and a text search in payloads. Pages are larger than the event query's. With `execution`, the
 * pages are those of one imported execution instead of the live events.
 */
import { z } from 'zod';
import { TimelinePageSchema } from '../timeline-page.js';
import { eventQuerySchema, position } from './query.js';
import { jsonContent, route } from './route.js';

export const TIMELINE_PAGE = { default: 10_000, max: 50_000 } as const;

/** The longest payload search text (characters): beyond it, 400. */
export const MAX_SEARCH_TEXT = 256;

export const timelineQuerySchema = eventQuerySchema(TIMELINE_PAGE.max)
  .extend({
    before: position.optional().meta({ description: 'Reading newest first: events before this position (the `next` of the page before).' }),
    order: z.enum(['oldest', 'newest']).optional().meta({ description: 'Default `oldest`.' }),
    text: z
      .string()
      .min(1, 'must not be empty')
      .max(MAX_SEARCH_TEXT, `at most ${MAX_SEARCH_TEXT} characters`)
      .optional()
      .meta({ description: 'Only events whose payload JSON holds this text, case-insensitively; every character literal.' }),
  })
  .superRefine((q, ctx) => {
    const order = q.order ?? 'oldest';
    if (order === 'oldest' && q.before !== undefined) ctx.addIssue({ code: 'custom', path: ['before'], message: 'only with order=newest (use after when reading forwards)' });
    if (order === 'newest' && q.after !== undefined) ctx.addIssue({ code: 'custom', path: ['after'], message: 'only with order=oldest (use before when reading backwards)' });
  });

export const timelineContract = {
  timelineEvents: route({
    method: 'get',
    path: '/api/timeline/events',
    tag: 'timeline',
    summary: 'A page of live events (or, with `execution`, of one import) for the space-time diagram, column by column, without payloads',
    description: `Newest first reads one window of \`limit\` positions at a time, so a page may hold fewer events than \`limit\` and \`next\` says where to go on. Pages hold up to ${TIMELINE_PAGE.max.toLocaleString('en')} events (default ${TIMELINE_PAGE.default.toLocaleString('en')}).`,
    role: 'viewer',
    query: timelineQuerySchema,
    answer: { status: 200, description: 'A page.', content: jsonContent(TimelinePageSchema) },
    errors: { 400: 'a parameter is not valid (naming it)' },
  }),
};
