/**
 * The replay routes: start one, list them, follow one (its status polled or streamed), cancel it, and read what it
 * produced — its diff against the original outputs, its events, and the effects its sinks recorded instead of
 * sending. A replay's status is the same document everywhere: the answer to a read, a cancel and each message of
 * its live stream.
 */
import { z } from 'zod';
import { TimestampSchema } from '../event.js';
import { EventPageSchema } from './events.js';
import { accessToken, noQuerySchema, position, positiveInt, type ApiLimits } from './query.js';
import { EVENT_STREAM, jsonContent, route } from './route.js';
import { EventStreamSchema, OverflowMessageSchema, STREAM_ERRORS } from './stream.js';

const text = z.string().min(1, 'must not be empty').max(1024, 'at most 1024 characters');

/** What a replay feeds: events of these kinds (all given must match). */
const SelectionFilterSchema = z.strictObject({ type: text.optional(), source: text.optional(), process: text.optional(), correlationId: text.optional() });

export const ReplayModeSchema = z.enum(['dry-run', 'live']).meta({ description: '`dry-run`: sinks with side effects record what they would send; `live`: they send.' });
export const ReplaySpeedSchema = z
  .union([z.literal('max'), z.number().positive()])
  .meta({ description: '`max`: as fast as possible; a number N: N times the original spacing.' });

/** The body of `POST /api/replays`, validated field by field. */
export const ReplayRequestSchema = z
  .strictObject({
    flowId: z.string().min(1, 'must not be empty').max(256, 'at most 256 characters'),
    revision: z.number().int('must be an integer').positive('must be at least 1').optional().meta({ description: 'Default: the latest.' }),
    from: TimestampSchema.optional(),
    to: TimestampSchema.optional(),
    filter: SelectionFilterSchema.optional(),
    mode: z.enum(['dry-run', 'live'], { error: 'must be "dry-run" or "live"' }).default('dry-run'),
    speed: z
      .union([z.literal('max'), z.number().positive().max(10_000)], { error: 'must be "max" or a number from 0 (exclusive) to 10000' })
      .default('max'),
  })
  .superRefine((body, ctx) => {
    if (body.from && body.to && Date.parse(body.from) >= Date.parse(body.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    }
  })
  .meta({ id: 'ReplayRequest' });
export type ReplayRequestBody = z.output<typeof ReplayRequestSchema>;
/** What a client sends (mode and speed may be left out). */
export type ReplayRequestInput = z.input<typeof ReplayRequestSchema>;

export const ReplayStartedSchema = z.strictObject({ id: z.string().meta({ description: 'The replay’s id: follow it at `/api/replays/{id}`.' }) });

export const DiffSummarySchema = z
  .strictObject({ identical: z.number().int(), changed: z.number().int(), missing: z.number().int(), extra: z.number().int() })
  .meta({ id: 'DiffSummary', description: 'How many outputs compared identical, changed, missing from the replay, or extra in it.' });
export type DiffSummary = z.infer<typeof DiffSummarySchema>;

export const FieldChangeSchema = z.strictObject({
  path: z.string().meta({ description: 'Dotted path: `type`, `data.celsius`, `data.items.0`.' }),
  original: z.unknown().optional(),
  replayed: z.unknown().optional(),
});
export type FieldChange = z.infer<typeof FieldChangeSchema>;

export const OutputChangeSchema = z
  .strictObject({
    status: z.enum(['changed', 'missing', 'extra']),
    nodeId: z.string(),
    causationId: z.string(),
    index: z.number().int().meta({ description: 'Which output of the node for that input: the same node, input and index make the same output.' }),
    originalId: z.string().nullable(),
    replayId: z.string().nullable(),
    fields: z.array(FieldChangeSchema).meta({ description: 'For `changed`: what differs.' }),
  })
  .meta({ id: 'OutputChange' });
export type OutputChange = z.infer<typeof OutputChangeSchema>;

export const ReplayStateSchema = z.enum(['running', 'done', 'failed', 'cancelled']);

export const ReplayStatusSchema = z
  .strictObject({
    id: z.string(),
    state: ReplayStateSchema,
    flowId: z.string(),
    flowName: z.string().nullable().meta({ description: 'The flow’s name when the replay started (null: saved before replays kept it).' }),
    revision: z.number().int().positive().nullable().meta({ description: 'null: the latest when it started.' }),
    mode: ReplayModeSchema,
    speed: ReplaySpeedSchema,
    namespace: z.string().meta({ description: 'Where its events are kept: `replay:<id>`, never mixed into live queries.' }),
    from: z.string().nullable(),
    to: z.string().nullable(),
    filter: SelectionFilterSchema.nullable(),
    input: z.number().int().nonnegative().meta({ description: 'Inputs chosen so far.' }),
    processed: z.number().int().nonnegative().meta({ description: 'Inputs the replay has handled.' }),
    diff: DiffSummarySchema,
    byNode: z.record(z.string(), DiffSummarySchema).meta({ description: 'The diff by node id.' }),
    changes: z.array(OutputChangeSchema).meta({ description: 'The first changed, missing and extra outputs (the diff counts them all).' }),
    changesTruncated: z.boolean().meta({ description: 'More changes were found than listed.' }),
    partial: z.boolean().meta({
      description: 'The diff covers only part of the inputs: while running, and when the replay was cancelled or failed (then the inputs handled before it stopped).',
    }),
    effects: z.number().int().nonnegative().meta({ description: 'What the side-effect sinks would have sent (dry-run).' }),
    notes: z.array(z.string()).meta({ description: 'What a reader of the diff should know about how the replay ran (actors starting from their initial state).' }),
    error: z.string().nullable(),
    startedBy: z.string().nullable().meta({ description: 'The name of the token that started it; null without tokens (or saved before replays kept it).' }),
    startedAt: z.string().meta({ description: 'RFC 3339, UTC.' }),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'ReplayStatus' });
export type ReplayStatus = z.infer<typeof ReplayStatusSchema>;

/** What a list shows of a replay: everything but the listed changes. */
export const ReplaySummarySchema = ReplayStatusSchema.omit({ changes: true }).meta({ id: 'ReplaySummary' });
export type ReplaySummary = z.infer<typeof ReplaySummarySchema>;

export const ReplayListSchema = z.strictObject({ replays: z.array(ReplaySummarySchema).meta({ description: 'Newest first.' }) });

export const RecordedEffectSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('mqtt-publish'),
      nodeId: z.string(),
      eventId: z.string(),
      url: z.string(),
      topic: z.string(),
      qos: z.union([z.literal(0), z.literal(1), z.literal(2)]),
      retain: z.boolean(),
      payload: z.string(),
      userProperties: z.record(z.string(), z.string()),
    }),
    z.strictObject({
      kind: z.literal('http-request'),
      nodeId: z.string(),
      eventId: z.string(),
      url: z.string(),
      method: z.string(),
      headers: z.record(z.string(), z.string()),
      body: z.string(),
    }),
  ])
  .meta({ id: 'RecordedEffect', description: 'What a sink with side effects would have sent, recorded instead (dry-run).' });
export type RecordedEffect = z.infer<typeof RecordedEffectSchema>;

export const EffectListSchema = z.strictObject({ effects: z.array(RecordedEffectSchema).meta({ description: 'The first ones recorded, in order.' }) });

const ReplayParams = z.strictObject({ id: z.string().min(1).max(64, 'at most 64 characters') });
const NO_REPLAY = 'no replay has this id';

export const replayContract = ({ maxQueryLimit, maxReplayList }: ApiLimits) => ({
  startReplay: route({
    method: 'post',
    path: '/api/replays',
    tag: 'replays',
    summary: 'Replay stored events through a revision of a flow, isolated from live events, and compare the outputs',
    description: 'A dry-run replay needs the editor role; a live one (sinks really send) needs admin.',
    role: 'editor',
    query: noQuerySchema,
    body: { description: 'What to replay, through which revision, how.', required: true, content: jsonContent(ReplayRequestSchema) },
    answer: { status: 202, description: 'Started; follow it by its id.', content: jsonContent(ReplayStartedSchema) },
    errors: {
      400: 'the body is not valid (naming the field)',
      403: 'a live replay and the role is below admin',
      404: 'no such flow or revision',
      429: 'as many replays run as `[replays]` allows (`too_many_replays`, with Retry-After)',
    },
  }),
  listReplays: route({
    method: 'get',
    path: '/api/replays',
    tag: 'replays',
    summary: 'The replays, newest first, without their listed changes',
    role: 'viewer',
    query: z.strictObject({ limit: positiveInt(maxReplayList).optional().meta({ description: 'Default 100.' }), access_token: accessToken.optional() }),
    answer: { status: 200, description: 'The replays.', content: jsonContent(ReplayListSchema) },
    errors: { 400: 'the limit is not valid' },
  }),
  getReplay: route({
    method: 'get',
    path: '/api/replays/{id}',
    tag: 'replays',
    summary: 'A replay’s status: its progress and its diff',
    role: 'viewer',
    params: ReplayParams,
    query: noQuerySchema,
    answer: { status: 200, description: 'Its status.', content: jsonContent(ReplayStatusSchema) },
    errors: { 404: NO_REPLAY },
  }),
  replayLive: route({
    method: 'get',
    path: '/api/replays/{id}/live',
    tag: 'replays',
    summary: 'A replay’s progress as a server-sent event stream',
    description: '`status` messages while it runs, then one `done` message with its final status, then the stream closes.',
    role: 'viewer',
    params: ReplayParams,
    query: noQuerySchema,
    answer: { status: 200, description: 'A stream of `status` messages, then `done`.', content: { [EVENT_STREAM]: EventStreamSchema } },
    messages: { status: ReplayStatusSchema, done: ReplayStatusSchema, overflow: OverflowMessageSchema },
    errors: { 404: NO_REPLAY, ...STREAM_ERRORS },
  }),
  cancelReplay: route({
    method: 'post',
    path: '/api/replays/{id}/cancel',
    tag: 'replays',
    summary: 'Stop a running replay; its diff covers the inputs handled so far',
    description: 'Cancelling a live replay needs the admin role.',
    role: 'editor',
    params: ReplayParams,
    query: noQuerySchema,
    answer: { status: 200, description: 'Its final status: `cancelled`, `partial: true`.', content: jsonContent(ReplayStatusSchema) },
    errors: { 403: 'a live replay and the role is below admin', 404: NO_REPLAY, 409: 'it has already ended (`replay_ended`), or runs on another server (`replay_elsewhere`)' },
  }),
  replayEvents: route({
    method: 'get',
    path: '/api/replays/{id}/events',
    tag: 'replays',
    summary: 'The events a replay produced, in position order, a page at a time',
    role: 'viewer',
    params: ReplayParams,
    query: z.strictObject({
      after: position.optional(),
      limit: positiveInt(maxQueryLimit).optional().meta({ description: `Default ${Math.min(1000, maxQueryLimit)}.` }),
      access_token: accessToken.optional(),
    }),
    answer: { status: 200, description: 'A page of its events.', content: jsonContent(EventPageSchema) },
    errors: { 400: 'a parameter is not valid', 404: NO_REPLAY },
  }),
  replayEffects: route({
    method: 'get',
    path: '/api/replays/{id}/effects',
    tag: 'replays',
    summary: 'What a dry-run replay’s sinks would have sent',
    role: 'viewer',
    params: ReplayParams,
    query: noQuerySchema,
    answer: { status: 200, description: 'The recorded effects.', content: jsonContent(EffectListSchema) },
    errors: { 404: NO_REPLAY },
  }),
});
