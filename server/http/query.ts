/**
 * Query strings, validated with zod: a parameter given twice, an unknown one, or a value of the wrong shape is a
 * 400 naming it. `access_token` is accepted everywhere (streams carry it; elsewhere it is ignored).
 */
import { z } from 'zod';
import { TimestampSchema } from '../../shared/event.js';
import { ApiError, parseWith } from './errors.js';

const text = z.string().min(1, 'must not be empty').max(1024, 'at most 1024 characters');
const position = z
  .string()
  .regex(/^\d{1,15}$/, 'expected a non-negative integer')
  .transform(Number);
const positiveInt = (max: number) =>
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
