/** One transaction on a pooled connection: committed when `work` resolves, rolled back when it throws. */
import type pg from 'pg';

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
    throw error;
  } finally {
    client.release(broken);
  }
}
