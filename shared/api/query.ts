/**
 * The pieces query strings are made of, as every route reads them: each parameter a string (the server joins a
 * repeated `type` into a list and refuses any other given twice), turned into the number or list it names.
 * `access_token` passes every query schema: with tokens, the server has already refused it off the event streams;
 * without tokens it is ignored.
 */
import { z } from 'zod';
import { TimestampSchema } from '../event.js';

/** Limits the server sets, which some schemas carry (the largest page of a query). */
export interface ApiLimits {
  /** `processing.maxQueryLimit`: the most events one read answers. */
  maxQueryLimit: number;
  /** The most replays one list answers. */
  maxReplayList: number;
}

export const accessToken = z
  .string()
  .meta({ description: 'The token, on the event streams only (EventSource sends no headers); refused with 401 anywhere else.' });

export const queryText = z.string().min(1, 'must not be empty').max(1024, 'at most 1024 characters');

/** A store position (or a stream version) as a query parameter. */
export const position = z
  .string()
  .regex(/^\d{1,15}$/, 'expected a non-negative integer')
  .transform(Number);

export const positiveInt = (max: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, `expected an integer from 1 to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(1, `expected an integer from 1 to ${max}`).max(max, `expected an integer from 1 to ${max}`));

/** Event types: the parameter may repeat and each value may hold several, comma-separated; `*` is a wildcard. */
export const typeList = z
  .array(z.string().max(4096))
  .transform((values) => values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== ''))
  .pipe(z.array(z.string().min(1).max(256, 'a type is at most 256 characters')).max(64, 'at most 64 types'))
  .meta({ description: 'Event types, exact or with `*` wildcards; repeat the parameter or separate them with commas.' });

/** An execution's id: its import's id, a dot, and its number in the log (`imp-1a2b3c4d5e6f.1`). */
export const EXECUTION_ID = /^imp-[0-9a-f]{12}\.[1-9][0-9]{0,5}$/;

/** The `execution` query parameter of the event and timeline routes. */
export const executionParam = z
  .string()
  .regex(EXECUTION_ID, 'an execution id such as imp-1a2b3c4d5e6f.1')
  .meta({ description: 'Read within one imported execution (its id, from `GET /api/imports`) instead of the live events.' });

/** A route that takes no query parameters. */
export const noQuerySchema = z.strictObject({ access_token: accessToken.optional() });

/** The filters of `GET /api/events`, which the timeline shares. */
export const eventQuerySchema = (maxLimit: number) =>
  z.strictObject({
    type: typeList.optional(),
    source: queryText.optional(),
    process: queryText.optional(),
    correlationId: queryText.optional(),
    stream: queryText.optional(),
    flowId: queryText.optional(),
    execution: executionParam.optional(),
    from: TimestampSchema.optional().meta({ description: 'RFC 3339, inclusive.' }),
    to: TimestampSchema.optional().meta({ description: 'RFC 3339, exclusive.' }),
    after: position.optional().meta({ description: 'Only events after this position (the `next` of the page before).' }),
    limit: positiveInt(maxLimit).optional().meta({ description: `The most events in the page, at most ${maxLimit}.` }),
    access_token: accessToken.optional(),
  });

export type EventQuery = z.output<ReturnType<typeof eventQuerySchema>>;
