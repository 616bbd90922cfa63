/**
 * The columns both SQL adapters read an event from, in one order: the SELECT list, and the names that turn a row
 * read as an array of values (faster to build in both drivers) into a row object.
 */
const EVENT_COLUMN_NAMES = [
  'position', 'id', 'type', 'source', 'time', 'subject', 'datacontenttype', 'data', 'stream', 'version', 'process',
  'vector_clock', 'correlation_id', 'causation_id', 'flow_id', 'node_id', 'revision', 'metadata',
] as const;

export const EVENT_COLUMNS = EVENT_COLUMN_NAMES.join(', ');

/** A row read as values of EVENT_COLUMNS, in order, as the row object the adapter's `toEvent` takes. */
export function rowOfValues<Row>(values: readonly unknown[]): Row {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < EVENT_COLUMN_NAMES.length; i++) row[EVENT_COLUMN_NAMES[i]!] = values[i];
  return row as Row;
}
