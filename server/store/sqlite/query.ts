/**
 * EventFilter as SQL over the events table. The index is chosen here, not left to the planner: a correlation
 * chain or a stream by its own index, everything else by position within the namespace, other filters checked
 * row by row, so a page never sorts more than a chain or a stream.
 */
import { namespaceOf, splitTypes } from '../filter.js';
import { boundKey } from '../time.js';
import type { EventFilter } from '../types.js';
import { EVENT_COLUMNS } from './rows.js';

export interface EventQuery {
  sql: string;
  params: unknown[];
}

/** A `*` pattern as a GLOB, in which only `*` is special (GLOB's own `?` and `[` are escaped). */
export const globOf = (pattern: string): string => pattern.replace(/[[?]/g, (c) => `[${c}]`);

export function eventQuery(filter: EventFilter, range: { after: number; upTo?: number; limit: number }): EventQuery {
  const where = ['namespace = ?', 'position > ?'];
  const params: unknown[] = [namespaceOf(filter), range.after];
  if (range.upTo !== undefined) {
    where.push('position <= ?');
    params.push(range.upTo);
  }
  const types = splitTypes(filter.types);
  if (types) {
    const alternatives: string[] = [];
    if (types.exact.length > 0) {
      alternatives.push('type IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(types.exact));
    }
    if (types.patterns.length > 0) {
      alternatives.push('EXISTS (SELECT 1 FROM json_each(?) AS p WHERE events.type GLOB p.value)');
      params.push(JSON.stringify(types.patterns.map(globOf)));
    }
    where.push(`(${alternatives.join(' OR ')})`);
  }
  const equal = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    params.push(value);
  };
  equal('source', filter.source);
  equal('process', filter.process);
  equal('correlation_id', filter.correlationId);
  equal('stream', filter.stream);
  equal('flow_id', filter.flowId);
  if (filter.from !== undefined) {
    where.push('time_key >= ?');
    params.push(boundKey('from', filter.from));
  }
  if (filter.to !== undefined) {
    where.push('time_key < ?');
    params.push(boundKey('to', filter.to));
  }
  // Within one namespace a stream's versions grow with its positions, so version order is position order.
  const [index, order] =
    filter.correlationId !== undefined
      ? ['events_by_correlation', 'position']
      : filter.stream !== undefined
        ? ['events_by_stream', 'version']
        : ['events_by_namespace', 'position'];
  params.push(range.limit);
  return {
    sql: `SELECT ${EVENT_COLUMNS} FROM events INDEXED BY ${index} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`,
    params,
  };
}
