/**
 * Positions with several appends in flight: each transaction reserves the positions it writes before it writes them,
 * and readers stop below the lowest position whose transaction has not settled, so that no reader sees position
 * n + 1 before n — whatever order the transactions commit in.
 *
 * A reservation takes the next positions from `position_counter` and records the lowest one with the transaction's
 * id, in one short transaction of its own (committed at once, so readers see it while the appending transaction is
 * still open); reservations follow one another in the counter's order. The appending transaction deletes its own
 * reservation in the transaction that writes the events: the events become visible and the reservation disappears at
 * the same commit. A transaction that rolls back leaves its reservation behind, and readers keep stopping below it
 * until it is deleted — by the writer that saw the rollback, or by any later append once PostgreSQL reports that
 * transaction aborted — in a commit that is flushed, so that a position readers passed can never be given out again
 * after a crash (the counter's change is flushed with it). The reservations themselves need no flush of their own:
 * the commit that makes their events visible flushes them too.
 *
 * This is the technique of transactional outbox readers (Marten, Emmett and Eventuous read only below
 * `pg_snapshot_xmin`), narrowed to this store's own transactions: a long transaction of another application on the
 * same server does not hold readers back, and a reader sees an append once its transaction and every one that
 * reserved before it have settled.
 */
import type pg from 'pg';

/** The lowest position not yet settled: readers read below it. */
export const HORIZON_SQL = `least((SELECT next FROM position_counter), (SELECT min(low) FROM position_reservations))`;

export const POSITION_SQL = {
  /** The highest settled position. */
  head: `SELECT ${HORIZON_SQL} - 1 AS head`,
  /** $1 positions for transaction $2: the lowest. */
  reserve: `WITH taken AS (UPDATE position_counter SET next = next + $1::bigint RETURNING next - $1::bigint AS low)
    INSERT INTO position_reservations (xid, low) SELECT $2::xid8, low FROM taken RETURNING low`,
  /** Deleted in the appending transaction, at the end: it commits with the events. */
  settle: `DELETE FROM position_reservations WHERE xid = pg_current_xact_id()`,
  /**
   * After transaction $1 rolled back: its reservation is deleted, and when no one reserved after it ($2 positions
   * from $3 were the last given out), its positions are given back, so that a failed append leaves no gap.
   */
  release: `WITH gone AS (DELETE FROM position_reservations WHERE xid = $1::xid8 RETURNING low)
    UPDATE position_counter SET next = $3::bigint WHERE next = $3::bigint + $2::bigint AND EXISTS (SELECT 1 FROM gone)`,
  /** Reservations of transactions that rolled back, whoever left them; rows another transaction is deleting are skipped. */
  sweep: `DELETE FROM position_reservations WHERE ctid IN (
    SELECT ctid FROM position_reservations WHERE pg_xact_status(xid) = 'aborted' FOR UPDATE SKIP LOCKED)`,
};

/**
 * Reservations of one store, made in the order asked on one connection of their own, whose commits need not be
 * flushed (see above). The connection is opened on first use and again after it failed.
 */
export class PositionReservations {
  private client: Promise<pg.PoolClient> | null = null;

  constructor(private readonly pool: pg.Pool) {}

  /** The lowest of `count` positions reserved for transaction `xid`; asked in the order of the calls. */
  reserve(xid: string, count: number): Promise<number> {
    const client = this.connection();
    return client.then(
      async (c) => {
        try {
          const { rows } = await c.query<{ low: string }>({ name: 'cw_reserve', text: POSITION_SQL.reserve, values: [count, xid] });
          return Number(rows[0]!.low);
        } catch (error) {
          this.drop(client);
          throw error;
        }
      },
    );
  }

  /** After `xid` rolled back: see POSITION_SQL.release. Flushed (on a pooled connection), so readers may pass it. */
  async release(xid: string, low: number, count: number): Promise<void> {
    await this.pool.query(POSITION_SQL.release, [xid, count, low]);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) (await client.catch(() => null))?.release();
  }

  private connection(): Promise<pg.PoolClient> {
    if (this.client) return this.client;
    const client = this.pool.connect().then(async (c) => {
      c.on('error', () => this.drop(client));
      await c.query('SET synchronous_commit = off');
      return c;
    });
    client.catch(() => this.drop(client));
    this.client = client;
    return client;
  }

  /** Forgets a connection that failed; the next reservation opens another. */
  private drop(client: Promise<pg.PoolClient>): void {
    if (this.client !== client) return;
    this.client = null;
    void client.then((c) => c.release(true)).catch(() => undefined);
  }
}
