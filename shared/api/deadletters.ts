/**
 * The dead-letter routes: list the inputs nodes failed on (the `$deadletter` stream, per flow or across flows,
 * filtered by node, error code and time), each with what its last re-drive did; and re-drive chosen ones through a
 * revision — a dry-run first (a replay whose diff shows what the revision would derive), then live (what it
 * derives is stored with the input's causation and correlation). A re-drive deletes nothing: its outcome is an
 * event of its own in the `$redrive` stream.
 */
import { z } from 'zod';
import { TimestampSchema } from '../event.js';
import { accessToken, position, positiveInt, queryText, type ApiLimits } from './query.js';
import { ReplayStatusSchema } from './replays.js';
import { jsonContent, route } from './route.js';

/** The most dead letters one re-drive takes. */
export const MAX_REDRIVE = 200;

export const DeadLetterErrorSchema = z.strictObject({ code: z.string(), message: z.string() }).meta({ id: 'DeadLetterError' });
export type DeadLetterError = z.infer<typeof DeadLetterErrorSchema>;

export const RedriveOutcomeKindSchema = z
  .enum(['redriven', 'failed'])
  .meta({ description: '`redriven`: the revision handled the input; `failed`: it failed again (the new error is given).' });

export const RecordedOutcomeSchema = z
  .strictObject({
    outcome: RedriveOutcomeKindSchema,
    revision: z.number().int().positive(),
    replayId: z.string().meta({ description: 'The replay that ran the re-drive: its diff is at `/api/replays/{replayId}`.' }),
    at: z.string().meta({ description: 'When it was recorded (RFC 3339).' }),
    error: DeadLetterErrorSchema.nullable(),
    outputs: z.array(z.string()).meta({ description: 'The ids of the events the re-drive stored.' }),
  })
  .meta({ id: 'RecordedOutcome', description: 'What the last live re-drive of a dead letter did.' });
export type RecordedOutcome = z.infer<typeof RecordedOutcomeSchema>;

export const DeadLetterSchema = z
  .strictObject({
    id: z.string(),
    position: z.number().int(),
    time: z.string(),
    flowId: z.string().nullable(),
    nodeId: z.string().nullable(),
    nodeType: z.string().nullable(),
    nodeName: z.string().nullable(),
    revision: z.number().int().nullable().meta({ description: 'The revision that failed.' }),
    error: DeadLetterErrorSchema,
    input: z
      .strictObject({ id: z.string(), type: z.string(), source: z.string(), time: z.string() })
      .nullable()
      .meta({ description: 'The event the node failed on (null: an input a source could not store).' }),
    outcome: RecordedOutcomeSchema.nullable(),
  })
  .meta({ id: 'DeadLetter' });
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

export const DeadLetterPageSchema = z
  .strictObject({
    deadLetters: z.array(DeadLetterSchema).meta({ description: 'Oldest first.' }),
    next: z.number().int().nullable().meta({ description: 'Pass as `after` for the next page; null: none.' }),
  })
  .meta({ id: 'DeadLetterPage' });
export type DeadLetterPage = z.infer<typeof DeadLetterPageSchema>;

export const deadLetterQuerySchema = (maxLimit: number) =>
  z.strictObject({
    flowId: queryText.optional(),
    nodeId: queryText.optional(),
    code: queryText.optional().meta({ description: 'The error code (`error`, `timeout`, `quarantined` …).' }),
    from: TimestampSchema.optional().meta({ description: 'RFC 3339, inclusive.' }),
    to: TimestampSchema.optional().meta({ description: 'RFC 3339, exclusive.' }),
    after: position.optional().meta({ description: 'Only dead letters after this position (the `next` of the page before).' }),
    limit: positiveInt(maxLimit).optional().meta({ description: `The most dead letters in the page (default 100), at most ${maxLimit}.` }),
    access_token: accessToken.optional(),
  });
export type DeadLetterQuery = z.output<ReturnType<typeof deadLetterQuerySchema>>;

export const RedriveRequestSchema = z
  .strictObject({
    deadLetters: z
      .array(z.string().min(1, 'must not be empty').max(64, 'at most 64 characters'))
      .min(1, 'name at least one dead letter')
      .max(MAX_REDRIVE, `at most ${MAX_REDRIVE} at once`)
      .meta({ description: 'Ids of dead letters of one flow.' }),
    revision: z.number().int('must be an integer').positive('must be at least 1').optional().meta({ description: 'Default: the latest.' }),
    mode: z.enum(['dry-run', 'live'], { error: 'must be "dry-run" or "live"' }).default('dry-run'),
  })
  .meta({ id: 'RedriveRequest' });
export type RedriveRequestInput = z.input<typeof RedriveRequestSchema>;

export const RedriveEntrySchema = z
  .strictObject({
    deadLetterId: z.string(),
    nodeId: z.string().nullable(),
    outcome: RedriveOutcomeKindSchema,
    error: DeadLetterErrorSchema.nullable(),
    outputs: z.array(z.string()).meta({ description: 'Ids of the events derived from its input (stored, when live).' }),
  })
  .meta({ id: 'RedriveEntry' });
export type RedriveEntry = z.infer<typeof RedriveEntrySchema>;

export const RedriveResultSchema = z
  .strictObject({
    flowId: z.string(),
    revision: z.number().int().positive(),
    mode: z.enum(['dry-run', 'live']),
    replay: ReplayStatusSchema.meta({ description: 'The replay that ran it: the diff against the outputs in the log.' }),
    entries: z.array(RedriveEntrySchema),
    stored: z.number().int().nonnegative().meta({ description: 'Events stored in the live log (live; 0 on a repeat).' }),
  })
  .meta({ id: 'RedriveResult' });
export type RedriveResult = z.infer<typeof RedriveResultSchema>;

export const deadLetterContract = ({ maxQueryLimit }: ApiLimits) => ({
  listDeadLetters: route({
    method: 'get',
    path: '/api/deadletters',
    tag: 'deadletters',
    summary: 'The dead letters, oldest first, with the outcome of their last live re-drive',
    role: 'viewer',
    query: deadLetterQuerySchema(maxQueryLimit),
    answer: { status: 200, description: 'A page of dead letters.', content: jsonContent(DeadLetterPageSchema) },
    errors: { 400: 'a parameter is not valid' },
  }),
  redrive: route({
    method: 'post',
    path: '/api/deadletters/redrive',
    tag: 'deadletters',
    summary: 'Re-drive dead letters of one flow through a revision, starting at the node that failed',
    description:
      'Runs as a replay (listed with the replays) and answers when it is done. A dry-run needs the editor role and stores nothing in the live log; a live one needs admin: what the revision derives is stored with the input’s causation and correlation, and each outcome is recorded. Repeating a live re-drive stores nothing twice.',
    role: 'editor',
    query: z.strictObject({ access_token: accessToken.optional() }),
    body: { description: 'Which dead letters, through which revision, how.', required: true, content: jsonContent(RedriveRequestSchema) },
    answer: { status: 200, description: 'The outcome of each dead letter and the replay’s diff.', content: jsonContent(RedriveResultSchema) },
    errors: {
      400: 'the body is not valid, or the dead letters are of several flows',
      403: 'a live re-drive and the role is below admin',
      404: 'no such dead letter, flow or revision',
      429: 'as many replays run as `[replays]` allows (`too_many_replays`)',
    },
  }),
});
