/**
 * The timeline's read route: pages of live events in the compact columnar form of shared/timeline-page.ts (no
 * payloads), newest first (`order=newest`, then `before=<next>`) or oldest first (`after=<next>`), with the filters
 * of `GET /api/events` and a text search in payloads. Pages are larger than the event query's. With `execution`, the
 * pages are those of one imported execution instead of the live events. And the structured search over the same
 * events (shared/analysis/): the matches of a query or motif, as positions.
 */
import { z } from 'zod';
import { MAX_QUERY_LENGTH } from '../analysis/query-syntax.js';
import { TimestampSchema } from '../event.js';
import { DENSITY_BUCKETS, TimelineDensitySchema } from '../timeline-density.js';
import { TimelinePageSchema } from '../timeline-page.js';
import { accessToken, eventQuerySchema, executionParam, position, positiveInt, queryText, typeList } from './query.js';
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

/** The structured search's bounds: events read, matches answered, time spent evaluating. */
export const TIMELINE_SEARCH = { maxEvents: 20_000, maxMatches: 1000, defaultMatches: 500, maxMs: 250 } as const;

export const timelineSearchQuerySchema = z.strictObject({
  q: z
    .string()
    .max(MAX_QUERY_LENGTH * 4, `at most ${MAX_QUERY_LENGTH} characters`)
    .meta({ description: `The query (grammar in docs/guide.md, "Structured search"), at most ${MAX_QUERY_LENGTH} characters.` }),
  type: typeList.optional(),
  source: queryText.optional().meta({ description: 'Only events of this source. Without `execution`, a `shiviz://<name>` the live events do not hold searches the newest import of that name.' }),
  process: queryText.optional(),
  execution: executionParam.optional(),
  from: TimestampSchema.optional().meta({ description: 'RFC 3339, inclusive.' }),
  to: TimestampSchema.optional().meta({ description: 'RFC 3339, exclusive.' }),
  after: position.optional().meta({ description: 'Only events after this position.' }),
  before: position.optional().meta({ description: 'Only events before this position.' }),
  limit: positiveInt(TIMELINE_SEARCH.maxMatches)
    .optional()
    .meta({ description: `The most matches answered, at most ${TIMELINE_SEARCH.maxMatches} (default ${TIMELINE_SEARCH.defaultMatches}).` }),
  access_token: accessToken.optional(),
});

export const TimelineSearchSchema = z
  .strictObject({
    matches: z.array(z.array(z.number().int().positive())).meta({ description: "Each match's events as store positions, in the query's order." }),
    scanned: z.number().int().min(0).meta({ description: 'How many events the query was evaluated over.' }),
    truncated: z
      .enum(['events', 'matches', 'work', 'time'])
      .nullable()
      .meta({ description: `null: every match in scope. \`events\`: the scope holds more than ${TIMELINE_SEARCH.maxEvents.toLocaleString('en')} events and only the first were searched; \`matches\`: more matches than \`limit\`; \`work\`/\`time\`: the evaluation met its bound.` }),
  })
  .meta({ id: 'TimelineSearch', description: 'The matches of a structured search.' });
export type TimelineSearch = z.infer<typeof TimelineSearchSchema>;

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
    summary: 'A page of live events (or, with `execution`, of one import) for the space-time diagram, column by column, without payloads',
    description: `Newest first reads one window of \`limit\` positions at a time, so a page may hold fewer events than \`limit\` and \`next\` says where to go on. Pages hold up to ${TIMELINE_PAGE.max.toLocaleString('en')} events (default ${TIMELINE_PAGE.default.toLocaleString('en')}).`,
    role: 'viewer',
    query: timelineQuerySchema,
    answer: { status: 200, description: 'A page.', content: jsonContent(TimelinePageSchema) },
    errors: { 400: 'a parameter is not valid (naming it)' },
  }),
  timelineSearch: route({
    method: 'get',
    path: '/api/timeline/search',
    tag: 'timeline',
    summary: 'The matches of a structured search (a query over events and happened-before, or a motif) among stored events',
    description: `Evaluated over the first ${TIMELINE_SEARCH.maxEvents.toLocaleString('en')} live events (or, with \`execution\`, of one import) in scope (the filters, \`after\`, \`before\`), for at most ${TIMELINE_SEARCH.maxMs} ms; \`truncated\` says when the answer stops short.`,
    role: 'viewer',
    query: timelineSearchQuerySchema,
    answer: { status: 200, description: 'The matches.', content: jsonContent(TimelineSearchSchema) },
    errors: { 400: 'a parameter is not valid, or the query cannot be read (`invalid_search`, with the `position` of the problem)' },
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
