/**
 * The event routes: publish CloudEvents (acknowledged only after commit), query stored events a page at a time,
 * read one with its causal past and future, read a stream, and follow new events live. The event envelope itself is
 * shared/event.ts.
 */
import { z } from 'zod';
import { AcknowledgementSchema, CloudEventBatchSchema, CloudEventSchema, StoredEventSchema } from '../event.js';
import { accessToken, eventQuerySchema, executionParam, noQuerySchema, position, positiveInt, queryText, typeList, type ApiLimits } from './query.js';
import { EVENT_STREAM, JSON_TYPE, jsonContent, route } from './route.js';
import { EventStreamSchema, OverflowMessageSchema, STREAM_ERRORS } from './stream.js';

export const PublishAnswerSchema = z.strictObject({ events: z.array(AcknowledgementSchema).meta({ description: 'One per event, in the order sent.' }) });
export type PublishAnswer = z.infer<typeof PublishAnswerSchema>;

export const EventPageSchema = z
  .strictObject({
    events: z.array(StoredEventSchema).meta({ description: 'In position order.' }),
    next: z.number().int().nullable().meta({ description: 'The `after` of the next page; null when this one is the last.' }),
  })
  .meta({ id: 'EventPage' });
export type EventPage = z.infer<typeof EventPageSchema>;

export const CausalitySchema = z
  .strictObject({
    event: StoredEventSchema,
    past: z.array(StoredEventSchema).meta({ description: 'Events that happened before it, by vector clock: newest first, at most `limit`.' }),
    future: z.array(StoredEventSchema).meta({ description: 'Events that happened after it: oldest first, at most `limit`.' }),
    pastCount: z.number().int().nonnegative(),
    futureCount: z.number().int().nonnegative(),
    concurrent: z.number().int().nonnegative().meta({ description: 'Events of its execution (the live events, or one imported execution) neither before nor after it.' }),
  })
  .meta({ id: 'Causality' });
export type Causality = z.infer<typeof CausalitySchema>;

export const StreamEventsSchema = z.strictObject({ events: z.array(StoredEventSchema).meta({ description: 'In version order.' }) });

const EventParams = z.strictObject({ id: z.string().min(1).max(256, 'at most 256 characters') });
const StreamParams = z.strictObject({ stream: z.string().min(1).max(256, 'at most 256 characters') });
const sourceParam = z
  .string()
  .min(1, 'must not be empty')
  .max(1024, 'at most 1024 characters')
  .meta({ description: 'The source of the event: sources may share ids; without it, the first stored with this id.' });

export const liveQuerySchema = z.strictObject({
  after: position.optional().meta({ description: 'Catch up from this position (0: everything); default: only events stored from now on.' }),
  type: typeList.optional(),
  flowId: queryText.optional(),
  access_token: accessToken.optional(),
});

const NO_EVENT = 'no event has this id (and source)';

export const eventContract = ({ maxQueryLimit }: ApiLimits) => ({
  publishEvents: route({
    method: 'post',
    path: '/api/events',
    tag: 'events',
    summary: 'Publish CloudEvents: structured, batch or binary mode; answered only once they are stored',
    description:
      'An event whose (`source`, `id`) pair is already stored is not stored twice: the same answer. An event whose `type` a deployed flow’s `http` source takes enters that flow.',
    role: 'editor',
    query: noQuerySchema,
    headers: z.object({
      'ce-specversion': z.literal('1.0').optional().meta({ description: 'Binary mode: the attributes are `ce-*` headers (`ce-id`, `ce-source`, `ce-type` …) and the body is the data.' }),
    }),
    body: {
      description: 'One event, a batch of them, or (binary mode) the data of one.',
      required: true,
      content: {
        'application/cloudevents+json': CloudEventSchema,
        'application/cloudevents-batch+json': CloudEventBatchSchema,
        [JSON_TYPE]: z.union([CloudEventSchema, CloudEventBatchSchema]),
        '*/*': z.unknown().meta({ description: 'Binary mode: the data, with the attributes in `ce-*` headers.' }),
      },
    },
    answer: { status: 202, description: 'Stored.', content: jsonContent(PublishAnswerSchema) },
    errors: {
      400: 'an event is not valid (naming the field, `2.source` in a batch), or holds what no store can keep',
      409: 'an expected version does not match (`version_conflict`), or the pair is stored with other content (`duplicate_conflict`)',
      413: 'the body is larger than `bus.bodyLimitBytes` (`bus.batchBodyLimitBytes` for a batch)',
      415: 'the content type is not a CloudEvents mode',
      503: 'the bus is too far behind to take more now (`bus_busy`, with Retry-After)',
      507: 'the store’s disk is full (`storage_full`): nothing of the request was stored',
    },
  }),
  listEvents: route({
    method: 'get',
    path: '/api/events',
    tag: 'events',
    summary: 'Stored events in position order, filtered, a page at a time',
    role: 'viewer',
    query: eventQuerySchema(maxQueryLimit),
    answer: { status: 200, description: `A page (default ${Math.min(1000, maxQueryLimit)} events).`, content: jsonContent(EventPageSchema) },
    errors: { 400: 'a parameter is not valid (naming it)' },
  }),
  getEvent: route({
    method: 'get',
    path: '/api/events/{id}',
    tag: 'events',
    summary: 'One stored event',
    role: 'viewer',
    params: EventParams,
    query: noQuerySchema.extend({ source: sourceParam.optional(), execution: executionParam.optional() }),
    answer: { status: 200, description: 'The event.', content: jsonContent(StoredEventSchema) },
    errors: { 400: 'the id or source is not valid', 404: NO_EVENT },
  }),
  eventCausality: route({
    method: 'get',
    path: '/api/events/{id}/causality',
    tag: 'events',
    summary: 'An event with what happened before and after it, by vector clock',
    role: 'viewer',
    params: EventParams,
    query: z.strictObject({
      limit: positiveInt(maxQueryLimit).optional().meta({ description: 'The most events listed each way; default 100.' }),
      source: sourceParam.optional(),
      execution: executionParam.optional(),
      access_token: accessToken.optional(),
    }),
    answer: { status: 200, description: 'Its causal past and future, within its execution.', content: jsonContent(CausalitySchema) },
    errors: { 400: 'a parameter is not valid', 404: NO_EVENT },
  }),
  readStream: route({
    method: 'get',
    path: '/api/streams/{stream}',
    tag: 'events',
    summary: 'The events of one stream, from a version on',
    role: 'viewer',
    params: StreamParams,
    query: z.strictObject({
      fromVersion: position.optional().meta({ description: 'Default 1.' }),
      limit: positiveInt(maxQueryLimit).optional().meta({ description: `Default ${Math.min(1000, maxQueryLimit)}.` }),
      access_token: accessToken.optional(),
    }),
    answer: { status: 200, description: 'The events (none for a stream never written).', content: jsonContent(StreamEventsSchema) },
    errors: { 400: 'a parameter is not valid' },
  }),
  eventsLive: route({
    method: 'get',
    path: '/api/events/live',
    tag: 'events',
    summary: 'New events as they are stored: a server-sent event stream',
    description:
      'One `event` message per stored event (its SSE id is its position), catching up from `after` (or, when later, the `Last-Event-ID` a reconnecting client sends), then live.',
    role: 'viewer',
    query: liveQuerySchema,
    headers: z.object({ 'Last-Event-ID': z.string().optional().meta({ description: 'Resume after this position (sent by a reconnecting EventSource).' }) }),
    answer: { status: 200, description: 'A stream of `event` messages.', content: { [EVENT_STREAM]: EventStreamSchema } },
    messages: { event: StoredEventSchema, overflow: OverflowMessageSchema },
    errors: { 400: 'a parameter is not valid', ...STREAM_ERRORS },
  }),
});
