/**
 * The cluster's shared state in PostgreSQL (../cluster.ts): its name, its members' heartbeats and the partition
 * leases, with fenced checkpoint and snapshot writes. A lease changes owner only in one statement that also raises its
 * epoch; a fenced write checks the epoch in the statement that writes, holding the lease row, so a write and a
 * take-over cannot interleave. Whether a process may share the database at all is held by session advisory locks on
 * one dedicated connection: a process alone takes the schema's lock exclusively, a member takes it shared and its
 * name's lock exclusively.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Claim, ClusterRepository, Fence, Lease, Member } from '../cluster.js';
import { fencedError } from '../fenced-store.js';
import { StoreError } from '../types.js';
import { toJson } from '../validate.js';

/** Advisory lock classes (the first key of the two-key form); the second key is a hash of the schema (and name). */
const DATABASE_LOCK = 731_042;
const MEMBER_LOCK = 731_043;
/** Members not seen for this long are no longer listed. */
const FORGET_AFTER = `interval '1 hour'`;

const SQL = {
  /** The first replica names the cluster; one that loses the race waits for the winner's row, then reads it. */
  nameOnce: `INSERT INTO cluster_info (name) VALUES ($1) ON CONFLICT DO NOTHING`,
  name: `SELECT name FROM cluster_info`,
  heartbeat: `INSERT INTO cluster_members (name, started_at, last_seen) VALUES ($1, now(), now())
    ON CONFLICT (name) DO UPDATE SET last_seen = now(), started_at = CASE WHEN $2 THEN now() ELSE cluster_members.started_at END`,
  members: `SELECT name, started_at, last_seen, last_seen > now() - $1 * interval '1 millisecond' AS alive
    FROM cluster_members WHERE last_seen > now() - ${FORGET_AFTER} ORDER BY name`,
  leases: `SELECT flow_id, partition, owner, epoch, owner IS NOT NULL AND expires_at >= now() AS held
    FROM partition_leases ORDER BY flow_id, partition`,
  acquire: `INSERT INTO partition_leases AS l (flow_id, partition, owner, epoch, expires_at)
    VALUES ($1, $2, $3, 1, now() + $4 * interval '1 millisecond')
    ON CONFLICT (flow_id, partition) DO UPDATE SET owner = excluded.owner, epoch = l.epoch + 1, expires_at = excluded.expires_at
    WHERE l.owner IS NULL OR l.expires_at < now() OR l.owner = excluded.owner
    RETURNING epoch`,
  /** Its rows locked in key order, as appends lock the leases they check (writer.ts): the two never wait in a cycle. */
  renew: `UPDATE partition_leases AS l SET expires_at = now() + $2 * interval '1 millisecond'
    FROM (SELECT flow_id, partition FROM partition_leases WHERE owner = $1 AND expires_at >= now()
          ORDER BY flow_id, partition FOR NO KEY UPDATE) AS mine
    WHERE l.flow_id = mine.flow_id AND l.partition = mine.partition AND l.owner = $1 AND l.expires_at >= now()
    RETURNING l.flow_id, l.partition, l.epoch`,
  release: `UPDATE partition_leases SET owner = NULL, expires_at = '-infinity'
    WHERE flow_id = $1 AND partition = $2 AND owner = $3 AND epoch = $4`,
  /** $1..$4: the fence. Holding the lease row (FOR SHARE) keeps a take-over from committing in between. */
  fenceHolds: `SELECT 1 FROM partition_leases WHERE flow_id = $1 AND partition = $2 AND owner = $3 AND epoch = $4 FOR SHARE`,
  setCheckpoints: `WITH lease AS (SELECT 1 FROM partition_leases WHERE flow_id = $1 AND partition = $2 AND owner = $3 AND epoch = $4 FOR SHARE)
    INSERT INTO checkpoints (key, position) SELECT k, p FROM unnest($5::text[], $6::bigint[]) AS t (k, p) WHERE EXISTS (SELECT 1 FROM lease)
    ON CONFLICT (key) DO UPDATE SET position = excluded.position`,
  saveSnapshot: `WITH lease AS (SELECT 1 FROM partition_leases WHERE flow_id = $1 AND partition = $2 AND owner = $3 AND epoch = $4 FOR SHARE)
    INSERT INTO snapshots (key, state, position) SELECT $5, $6::json, $7 WHERE EXISTS (SELECT 1 FROM lease)
    ON CONFLICT (key) DO UPDATE SET state = excluded.state, position = excluded.position`,
  tryLock: `SELECT pg_try_advisory_lock($1, hashtext(current_schema() || $2)) AS locked`,
  tryLockShared: `SELECT pg_try_advisory_lock_shared($1, hashtext(current_schema() || $2)) AS locked`,
};

const fenceParams = (fence: Fence) => [fence.flowId, fence.partition, fence.owner, fence.epoch];


export class PostgresClusterRepository implements ClusterRepository {
  /** The connection that holds this process's claim (session advisory locks live as long as it). */
  private claimed: pg.Client | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly connect: () => pg.Client,
  ) {}

  async name(): Promise<string> {
    await this.pool.query(SQL.nameOnce, [`causeway-${randomBytes(5).toString('hex')}`]);
    const { rows } = await this.pool.query<{ name: string }>(SQL.name);
    return rows[0]!.name;
  }

  async claim(claim: Claim): Promise<void> {
    if (this.claimed) throw new Error('this store already holds a claim');
    const client = this.connect();
    client.on('error', () => undefined); // a dropped connection lets the locks go; the heartbeats then say so
    await client.connect();
    try {
      if (claim.mode === 'alone') {
        if (!(await locked(client, SQL.tryLock, DATABASE_LOCK, ''))) {
          throw new StoreError(
            'store_in_use',
            'another Causeway process is using this PostgreSQL database; to run several processes on one database, give each a unique CAUSEWAY_PROCESS and the same NATS_URL (a cluster)',
          );
        }
      } else {
        if (!(await locked(client, SQL.tryLockShared, DATABASE_LOCK, ''))) {
          throw new StoreError('store_in_use', 'a Causeway process without NATS_URL is using this PostgreSQL database alone; stop it, or start it with NATS_URL to join the cluster');
        }
        if (!(await locked(client, SQL.tryLock, MEMBER_LOCK, `:${claim.name}`))) {
          throw new StoreError('store_in_use', `another replica named ${claim.name} is running on this database; every replica needs a unique CAUSEWAY_PROCESS`);
        }
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.claimed = client;
  }

  async heartbeat(member: string, started: boolean): Promise<void> {
    await this.pool.query(SQL.heartbeat, [member, started]);
  }

  async members(leaseMs: number): Promise<Member[]> {
    const { rows } = await this.pool.query<{ name: string; started_at: Date; last_seen: Date; alive: boolean }>(SQL.members, [leaseMs]);
    return rows.map((r) => ({ name: r.name, startedAt: r.started_at.toISOString(), lastSeen: r.last_seen.toISOString(), alive: r.alive }));
  }

  async leases(): Promise<Lease[]> {
    const { rows } = await this.pool.query<{ flow_id: string; partition: number; owner: string | null; epoch: string; held: boolean }>(SQL.leases);
    return rows.map((r) => ({ flowId: r.flow_id, partition: r.partition, owner: r.owner, epoch: Number(r.epoch), held: r.held }));
  }

  async acquire(flowId: string, partition: number, owner: string, leaseMs: number): Promise<Fence | null> {
    const { rows } = await this.pool.query<{ epoch: string }>(SQL.acquire, [flowId, partition, owner, leaseMs]);
    return rows[0] ? { flowId, partition, owner, epoch: Number(rows[0].epoch) } : null;
  }

  async renew(owner: string, leaseMs: number): Promise<Fence[]> {
    const { rows } = await this.pool.query<{ flow_id: string; partition: number; epoch: string }>(SQL.renew, [owner, leaseMs]);
    return rows.map((r) => ({ flowId: r.flow_id, partition: r.partition, owner, epoch: Number(r.epoch) }));
  }

  async release(fence: Fence): Promise<void> {
    await this.pool.query(SQL.release, fenceParams(fence));
  }

  async setCheckpointsFenced(fence: Fence, checkpoints: Record<string, number>): Promise<void> {
    const entries = Object.entries(checkpoints);
    if (entries.length === 0) {
      if ((await this.pool.query(SQL.fenceHolds, fenceParams(fence))).rowCount === 0) throw fencedError(fence);
      return;
    }
    const { rowCount } = await this.pool.query(SQL.setCheckpoints, [...fenceParams(fence), entries.map(([k]) => k), entries.map(([, p]) => p)]);
    if (rowCount === 0) throw fencedError(fence);
  }

  async saveSnapshotFenced(fence: Fence, snapshot: { key: string; state: unknown; position: number }): Promise<void> {
    const { rowCount } = await this.pool.query(SQL.saveSnapshot, [...fenceParams(fence), snapshot.key, toJson(snapshot.state, snapshot.key, 'state'), snapshot.position]);
    if (rowCount === 0) throw fencedError(fence);
  }

  async close(): Promise<void> {
    await this.claimed?.end().catch(() => undefined);
    this.claimed = null;
  }
}

async function locked(client: pg.Client, sql: string, lockClass: number, name: string): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>(sql, [lockClass, name]);
  return rows[0]!.locked;
}
