/**
 * What replicas of one cluster share through the store (PostgreSQL only): the cluster's name, who is a member and
 * when it was last seen, and the leases on flow partitions. A lease has an owner and an epoch; a new owner takes it
 * with a higher epoch, and every append, checkpoint and snapshot a partition's run makes carries its fence (owner and
 * epoch): a write under an older epoch is refused (`StoreError('fenced')`), so a replica that lost its lease but still
 * runs cannot add events to the partition's chains, move a checkpoint back or overwrite the new owner's state. Times
 * are the database's, never a replica's own clock, so replicas whose clocks disagree still agree on who is alive.
 */
export interface Member {
  name: string;
  /** When this member last started (ISO 8601). */
  startedAt: string;
  /** Its last heartbeat (ISO 8601). */
  lastSeen: string;
  /** Seen within the lease time. */
  alive: boolean;
}

export interface Lease {
  flowId: string;
  partition: number;
  /** Null when released. */
  owner: string | null;
  epoch: number;
  /** Held: owned and not expired. */
  held: boolean;
}

/** What a partition's run presents with each write: refused once another owner holds a newer epoch. */
export interface Fence {
  flowId: string;
  partition: number;
  owner: string;
  epoch: number;
}

/** How a process holds a database: `alone` refuses every other process; a `member` refuses a process alone and a second member of its name. */
export type Claim = { mode: 'alone' } | { mode: 'member'; name: string };

export interface ClusterRepository {
  /** The cluster's name: made once per database (and schema), the same for every replica. */
  name(): Promise<string>;
  /** Holds the database for this process until the store closes; a StoreError `store_in_use` naming the holder's kind otherwise. */
  claim(claim: Claim): Promise<void>;
  /** Records that a member is alive (and when it started, on its first beat after a start). */
  heartbeat(member: string, started: boolean): Promise<void>;
  /** Every member seen in the last hour, alive or not. */
  members(leaseMs: number): Promise<Member[]>;
  leases(): Promise<Lease[]>;
  /** Takes a partition that is free, expired or already this owner's, with a new epoch; null while another owner holds it. */
  acquire(flowId: string, partition: number, owner: string, leaseMs: number): Promise<Fence | null>;
  /** Extends every unexpired lease of the owner; answers the fences it still holds. */
  renew(owner: string, leaseMs: number): Promise<Fence[]>;
  /** Lets a partition go so its next owner need not wait for it to expire. */
  release(fence: Fence): Promise<void>;
  /** A checkpoint write that only lands while the fence still holds; a StoreError `fenced` otherwise. */
  setCheckpointsFenced(fence: Fence, checkpoints: Record<string, number>): Promise<void>;
  /** A snapshot write that only lands while the fence still holds; a StoreError `fenced` otherwise. */
  saveSnapshotFenced(fence: Fence, snapshot: { key: string; state: unknown; position: number }): Promise<void>;
}
