/**
 * One transaction on a pooled connection: committed when `work` resolves, rolled back when it throws. A full disk
 * (SQLSTATE 53100, disk_full) is thrown as a StoreError `storage_full`.
 */
import type pg from 'pg';
import { storageFull } from '../storage-full.js';

const DISK_FULL = '53100';

export async function withTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true; // the connection is gone or unusable: do not return it to the pool
    });
    throw storeErrorOf(error);
  } finally {
    client.release(broken);
  }
}

/** A full disk (SQLSTATE 53100) as a StoreError `storage_full`; any other error as it is. */
export function storeErrorOf(error: unknown): unknown {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === DISK_FULL ? storageFull(`PostgreSQL ${DISK_FULL}: ${String(message)}`) : error;
}
