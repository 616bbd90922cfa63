/**
 * Query strings, validated with zod: a parameter given twice, an unknown one, or a value of the wrong shape is a
 * 400 naming it. `access_token` passes the schemas everywhere: with tokens set, auth.ts has already refused it off the
 * event streams; without tokens it is ignored.
 */
import { z } from 'zod';
import { TimestampSchema } from '../../shared/event.js';
import type { EventFilter } from '../store/index.js';
import { ApiError, parseWith } from './errors.js';

const text = z.string().min(1, 'must not be empty').max(1024, 'at most 1024 characters');
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
const typeList = z
  .array(z.string().max(4096))
  .transform((values) => values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== ''))
  .pipe(z.array(z.string().min(1).max(256, 'a type is at most 256 characters')).max(64, 'at most 64 types'));

export const eventQuerySchema = (maxLimit: number) =>
  z.strictObject({
    type: typeList.optional(),
    source: text.optional(),
    process: text.optional(),
    correlationId: text.optional(),
    stream: text.optional(),
    flowId: text.optional(),
    from: TimestampSchema.optional(),
    to: TimestampSchema.optional(),
    after: position.optional(),
    limit: positiveInt(maxLimit).optional(),
    access_token: z.string().optional(),
  });

/** The store filter an event query names (times as UTC RFC 3339). */
export function eventFilterOf(q: z.infer<ReturnType<typeof eventQuerySchema>>): Omit<EventFilter, 'namespace'> {
  const filter: Omit<EventFilter, 'namespace'> = {};
  if (q.type && q.type.length > 0) filter.types = q.type;
  if (q.source !== undefined) filter.source = q.source;
  if (q.process !== undefined) filter.process = q.process;
  if (q.correlationId !== undefined) filter.correlationId = q.correlationId;
  if (q.stream !== undefined) filter.stream = q.stream;
  if (q.flowId !== undefined) filter.flowId = q.flowId;
  if (q.from !== undefined) filter.from = new Date(q.from).toISOString();
  if (q.to !== undefined) filter.to = new Date(q.to).toISOString();
  return filter;
}

export const liveQuerySchema = z.strictObject({
  after: position.optional(),
  type: typeList.optional(),
  flowId: text.optional(),
  access_token: z.string().optional(),
});

export const causalityQuerySchema = (maxLimit: number) => z.strictObject({ limit: positiveInt(maxLimit).optional(), access_token: z.string().optional() });

export const streamQuerySchema = (maxLimit: number) =>
  z.strictObject({
    fromVersion: position.optional(),
    limit: positiveInt(maxLimit).optional(),
    access_token: z.string().optional(),
  });

export const noQuerySchema = z.strictObject({ access_token: z.string().optional() });

/** Parameters that may repeat (joined); every other one must appear at most once. */
const REPEATABLE = new Set(['type']);

/** A request's query as a record, validated by `schema`. */
export function parseQuery<S extends z.ZodType>(schema: S, queries: Record<string, string[]>): z.output<S> {
  const record: Record<string, string | string[]> = {};
  for (const [key, values] of Object.entries(queries)) {
    if (REPEATABLE.has(key)) record[key] = values;
    else if (values.length > 1) throw new ApiError(400, 'invalid_query', `${key}: given more than once`, [{ path: key, message: 'given more than once' }]);
    else record[key] = values[0] ?? '';
  }
  const result = parseWith(schema, record, [], 'query');
  return result;
}
