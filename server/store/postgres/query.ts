/**
 * EventFilter as PostgreSQL over the events table: every field present must match; `*` type patterns become
 * LIKE patterns (with LIKE's own `%`, `_` and `\` escaped); time bounds compare sortable time keys; a correlation
 * chain is its root, by id, and the events indexed by correlation. Positions are read up to a bound, or below the
 * lowest one not yet settled (positions.ts), never past it.
 */
import { namespaceOf, splitTypes } from '../filter.js';
import { boundKey } from '../time.js';
import type { EventFilter } from '../types.js';
import { HORIZON_SQL } from './positions.js';
import { EVENT_COLUMNS } from './rows.js';

export interface EventQuery {
  text: string;
  values: unknown[];
}

/** A `*` pattern as a LIKE pattern, in which only `*` is special. */
export const likeOf = (pattern: string): string => pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');

/** `upTo`: a settled position (at most the head); without it, positions below the horizon. */
export function eventQuery(filter: EventFilter, range: { after: number; upTo?: number; limit: number }): EventQuery {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const where = [`namespace = ${param(namespaceOf(filter))}`, `position > ${param(range.after)}`];
  where.push(range.upTo !== undefined ? `position <= ${param(range.upTo)}` : `position < (SELECT ${HORIZON_SQL})`);
  const types = splitTypes(filter.types);
  if (types) {
    const alternatives: string[] = [];
    if (types.exact.length > 0) alternatives.push(`type = ANY(${param(types.exact)}::text[])`);
    if (types.patterns.length > 0) alternatives.push(`type LIKE ANY(${param(types.patterns.map(likeOf))}::text[])`);
    where.push(`(${alternatives.join(' OR ')})`);
  }
  const equal = (column: string, value: string | undefined) => {
    if (value !== undefined) where.push(`${column} = ${param(value)}`);
  };
  equal('source', filter.source);
  equal('process', filter.process);
  equal('stream', filter.stream);
  equal('flow_id', filter.flowId);
  if (filter.from !== undefined) where.push(`time_key >= ${param(boundKey('from', filter.from))}`);
  if (filter.to !== undefined) where.push(`time_key < ${param(boundKey('to', filter.to))}`);
  const limit = param(range.limit);
  const select = (conditions: string[]) =>
    `SELECT ${EVENT_COLUMNS} FROM events WHERE ${conditions.join(' AND ')} ORDER BY position LIMIT ${limit}`;
  if (filter.correlationId === undefined) return { text: select(where), values };
  // The correlation index leaves out roots (events whose correlation is their own id): a chain is the events it
  // indexes and its root, read by id; each part in position order, so a long chain is read a page at a time.
  const chain = param(filter.correlationId);
  const rest = select([...where, `correlation_id = ${chain}`, 'correlation_id <> id']);
  const root = select([...where, `id = ${chain}`, 'correlation_id = id']);
  return { text: `SELECT * FROM ((${rest}) UNION ALL (${root})) AS chain ORDER BY position LIMIT ${limit}`, values };
}
