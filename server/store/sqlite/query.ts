/**
 * EventFilter as SQL over the events table. The index is chosen here, not left to the planner: a correlation
 * chain or a stream by its own index, everything else by position within the namespace, other filters checked
 * row by row, so a page never sorts more than a chain or a stream. The correlation index leaves out roots (an
 * event whose correlation id is its own id, most events of a busy bus), which are found by id instead.
 */
import { namespaceOf, splitTypes } from '../filter.js';
import { boundKey } from '../time.js';
import { LIVE, type EventFilter } from '../types.js';
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
  const select = (index: string, extra: string) => `SELECT ${EVENT_COLUMNS} FROM events INDEXED BY ${index} WHERE ${[...where, extra].join(' AND ')}`;
  if (filter.correlationId !== undefined) {
    // A chain is its root (found by id: the event whose id is the correlation id) and the events the partial
    // correlation index holds (those whose correlation id is not their own id).
    return {
      sql: `${select('events_by_correlation', 'correlation_id <> id')} UNION ALL ${select('events_by_id', 'id = correlation_id AND id = ?')}
        ORDER BY position LIMIT ?`,
      params: [...params, ...params, filter.correlationId, range.limit],
    };
  }
  if (filter.stream !== undefined) {
    // Within one namespace a stream's versions grow with its positions, so version order is position order.
    return { sql: `${select('events_by_stream', '1')} ORDER BY version LIMIT ?`, params: [...params, range.limit] };
  }
  if (namespaceOf(filter) === LIVE) {
    // Live events by their position, the rowid: no index lookups.
    const sql = `SELECT ${EVENT_COLUMNS} FROM events NOT INDEXED WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`;
    return { sql, params: [...params, range.limit] };
  }
  return { sql: `${select('events_by_namespace', `namespace <> '${LIVE}'`)} ORDER BY position LIMIT ?`, params: [...params, range.limit] };
}
