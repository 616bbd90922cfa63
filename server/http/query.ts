/**
 * Query strings read with the route's zod schema (shared/api): a parameter given twice, an unknown one, or a value
 * of the wrong shape is a 400 naming it.
 */
import type { z } from 'zod';
import type { EventQuery } from '../../shared/api/query.js';
import type { EventFilter } from '../store/index.js';
import { ApiError, parseWith } from './errors.js';

/** The store filter an event query names (times as UTC RFC 3339). */
export function eventFilterOf(q: EventQuery): Omit<EventFilter, 'namespace'> {
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
