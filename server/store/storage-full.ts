/**
 * The refusal of a write the database has no room for (SQLite's SQLITE_FULL, PostgreSQL's disk_full): a StoreError
 * `storage_full`, whose message says that nothing of the call was stored and what to do. Each adapter recognises its
 * database's own error and maps it here; the transaction was rolled back, so nothing acknowledged is lost.
 */
import { StoreError } from './types.js';

export function storageFull(cause: string): StoreError {
  return new StoreError(
    'storage_full',
    `the event store has no room left (${cause}): nothing of this write was stored; free disk space (or raise the database's size limit) and try again`,
    { cause },
  );
}
