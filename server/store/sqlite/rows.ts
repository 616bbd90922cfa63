/** Event rows: the columns read back and how a row becomes a StoredEvent. */
import type { Statement } from 'better-sqlite3';
import type Database from 'better-sqlite3';
import type { StoredEvent } from '../../../shared/event.js';
import { EVENT_COLUMNS, rowOfValues } from '../event-columns.js';

export { EVENT_COLUMNS };

export interface EventRow {
  position: number;
  id: string;
  type: string;
  source: string;
  time: string;
  subject: string | null;
  datacontenttype: string | null;
  data: string;
  stream: string;
  version: number;
  process: string;
  vector_clock: string;
  correlation_id: string;
  causation_id: string | null;
  flow_id: string | null;
  node_id: string | null;
  revision: number | null;
  metadata: string;
}

export const toEvent = (row: EventRow): StoredEvent => ({
  id: row.id,
  type: row.type,
  source: row.source,
  time: row.time,
  subject: row.subject,
  datacontenttype: row.datacontenttype,
  data: JSON.parse(row.data),
  stream: row.stream,
  version: row.version,
  position: row.position,
  process: row.process,
  vectorClock: JSON.parse(row.vector_clock),
  correlationId: row.correlation_id,
  causationId: row.causation_id,
  flowId: row.flow_id,
  nodeId: row.node_id,
  revision: row.revision,
  metadata: JSON.parse(row.metadata),
});

/** The same from a row read with `.raw()` (the values of EVENT_COLUMNS in order), which better-sqlite3 builds faster. */
export const valuesToEvent = (values: unknown[]): StoredEvent => toEvent(rowOfValues<EventRow>(values));

/** Prepared statements by SQL text, each prepared once. */
export class Statements {
  private cache = new Map<string, Statement<unknown[], unknown>>();

  constructor(private readonly db: Database.Database) {}

  get(sql: string): Statement<unknown[], unknown> {
    let statement = this.cache.get(sql);
    if (!statement) {
      if (this.cache.size >= 500) this.cache.clear(); // only dynamic filter shapes ever get here
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}
