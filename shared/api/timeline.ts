/**
 * The timeline's read route: pages of live events in the compact columnar form of shared/timeline-page.ts (no
 * payloads), newest first (`order=newest`, then `before=<next>`) or oldest first (`after=<next>`), with the filters
 * of `GET /api/events` and a text search in payloads. Pages are larger than the event query's.
 */
import { z } from 'zod';
import { TimestampSchema } from '../event.js';
import { DENSITY_BUCKETS, TimelineDensitySchema } from '../timeline-density.js';
import { TimelinePageSchema } from '../timeline-page.js';
import { accessToken, eventQuerySchema, position, positiveInt } from './query.js';
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

export const timelineDensityQuerySchema = z.strictObject({
  buckets: positiveInt(DENSITY_BUCKETS.max).optional().meta({ description: `How many slices of time, at most ${DENSITY_BUCKETS.max} (default ${DENSITY_BUCKETS.default}).` }),
  from: TimestampSchema.optional().meta({ description: 'RFC 3339, inclusive; default the earliest event’s time.' }),
  to: TimestampSchema.optional().meta({ description: 'RFC 3339, inclusive; default the latest event’s time.' }),
  access_token: accessToken.optional(),
});

export const timelineContract = {
  timelineEvents: route({
    method: 'get',
    path: '/api/timeline/events',
    tag: 'timeline',
    summary: 'A page of live events for the space-time diagram, column by column, without payloads',
    description: `Newest first reads one window of \`limit\` positions at a time, so a page may hold fewer events than \`limit\` and \`next\` says where to go on. Pages hold up to ${TIMELINE_PAGE.max.toLocaleString('en')} events (default ${TIMELINE_PAGE.default.toLocaleString('en')}).`,
    role: 'viewer',
    query: timelineQuerySchema,
    answer: { status: 200, description: 'A page.', content: jsonContent(TimelinePageSchema) },
    errors: { 400: 'a parameter is not valid (naming it)' },
  }),
  timelineDensity: route({
    method: 'get',
    path: '/api/timeline/density',
    tag: 'timeline',
    summary: 'How many live events each process holds per slice of time: the overview of the whole store',
    description: 'The range (the whole store unless `from`/`to` say) is cut into `buckets` slices of whole milliseconds; each lane counts its events per slice. Counted by the database, without reading the events.',
    role: 'viewer',
    query: timelineDensityQuerySchema,
    answer: { status: 200, description: 'The counts.', content: jsonContent(TimelineDensitySchema) },
    errors: { 400: 'a parameter is not valid (naming it)' },
  }),
};
