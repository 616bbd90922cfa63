/** Event rows as PostgreSQL returns them (json columns parsed, bigint as text) and how they become StoredEvents. */
import type { VectorClock } from '../../../shared/clock.js';
import type { StoredEvent } from '../../../shared/event.js';
import { EVENT_COLUMNS, rowOfValues } from '../event-columns.js';

export { EVENT_COLUMNS };

/** The same columns, qualified by a table alias. */
export const eventColumns = (alias: string) =>
  EVENT_COLUMNS.split(',')
    .map((c) => `${alias}.${c.trim()}`)
    .join(', ');

export interface EventRow {
  position: string | number;
  id: string;
  type: string;
  source: string;
  time: string;
  subject: string | null;
  datacontenttype: string | null;
  data: unknown;
  stream: string;
  version: number;
  process: string;
  vector_clock: VectorClock;
  correlation_id: string;
  causation_id: string | null;
  flow_id: string | null;
  node_id: string | null;
  revision: number | null;
  metadata: Record<string, unknown>;
}

export const toEvent = (row: EventRow): StoredEvent => ({
  id: row.id,
  type: row.type,
  source: row.source,
  time: row.time,
  subject: row.subject,
  datacontenttype: row.datacontenttype,
  data: row.data,
  stream: row.stream,
  version: row.version,
  position: Number(row.position),
  process: row.process,
  vectorClock: row.vector_clock,
  correlationId: row.correlation_id,
  causationId: row.causation_id,
  flowId: row.flow_id,
  nodeId: row.node_id,
  revision: row.revision,
  metadata: row.metadata,
});

/** The same from a row read with `rowMode: 'array'` (the values of EVENT_COLUMNS in order), which pg builds faster. */
export const valuesToEvent = (values: unknown[]): StoredEvent => toEvent(rowOfValues<EventRow>(values));
