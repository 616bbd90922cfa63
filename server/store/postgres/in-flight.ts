/**
 * What this store's groups in flight will change of streams' versions and processes' rows, as their plans say, and
 * what they changed when they committed a moment ago: the next group is planned on it instead of on the database,
 * which does not show the first yet and may not have shown the second when the group read it. Each entry belongs to
 * the last group that planned a change of its key. A group planned on an entry of a group still in flight depends on
 * it: it commits only after that group has, and is planned again should it fail (its entries go at once). A committed
 * group's entries stay until no group that read the database before that commit is still to be planned.
 *
 * Events are not kept: one appended again while its first append is in flight is found by the unique index, which
 * makes the later transaction wait for the earlier, fail, and be planned again on what it then finds stored.
 */
import type { GroupPlan, LatestClock } from '../plan.js';

/** A text key: the namespace and one name (a stream's or a process's). */
export const keyOf = (namespace: string, name: string) => `${namespace}\u0000${name}`;

/** A process's row in `process_heads`: its latest clock, whether the row exists, and the transaction that wrote it last. */
export interface ProcessHead {
  latest: LatestClock | null;
  exists: boolean;
  /** `xid8` as text; null for a row no append has written since the schema recorded writers. */
  writer: string | null;
}

export interface Entry<Owner, V> {
  /** The group in flight that will write it; null once that group committed. */
  owner: Owner | null;
  value: V;
  /** When its group committed (see `epoch`). */
  committed: number;
}

type Kind = 'versions' | 'processes';

export class InFlightChanges<Owner> {
  /** Counts commits: a group notes it before it reads the database, to tell which commits it may not have seen. */
  epoch = 0;
  private readonly maps = {
    versions: new Map<string, Entry<Owner, number>>(),
    processes: new Map<string, Entry<Owner, ProcessHead>>(),
  };
  /** The keys each group in flight set. */
  private readonly owned = new Map<Owner, [Kind, string][]>();
  /** Committed entries in the order they committed, to let go of them. */
  private readonly committedKeys: { epoch: number; kind: Kind; key: string }[] = [];
  private firstCommitted = 0;

  version(key: string): Entry<Owner, number> | undefined {
    return this.maps.versions.get(key);
  }

  process(key: string): Entry<Owner, ProcessHead> | undefined {
    return this.maps.processes.get(key);
  }

  /**
   * The changes of `owner`'s plan, to be written by transaction `writer`, and the rows of every process it planned on
   * (as they stay, unless the plan changes them): the next groups leave those processes to it.
   */
  record(owner: Owner, plan: GroupPlan, writer: string, locked: Iterable<[string, ProcessHead]> = []): void {
    const keys: [Kind, string][] = [];
    const set = <V>(kind: Kind, key: string, value: V) => {
      (this.maps[kind] as Map<string, Entry<Owner, V>>).set(key, { owner, value, committed: 0 });
      keys.push([kind, key]);
    };
    for (const [key, head] of locked) set('processes', key, head);
    for (const v of plan.versions) set('versions', keyOf(v.namespace, v.stream), v.version);
    for (const c of plan.clocks) set('processes', keyOf(c.namespace, c.process), { latest: c.latest, exists: true, writer });
    this.owned.set(owner, keys);
  }

  /** `owner` committed: its entries (those no later group has replaced) are what the database holds now. */
  committed(owner: Owner): void {
    const keys = this.owned.get(owner);
    if (!keys) return;
    this.owned.delete(owner);
    this.epoch += 1;
    for (const [kind, key] of keys) {
      const entry = this.maps[kind].get(key);
      if (entry?.owner !== owner) continue;
      entry.owner = null;
      entry.committed = this.epoch;
      this.committedKeys.push({ epoch: this.epoch, kind, key });
    }
  }

  /** `owner` failed: its entries go (a later group's entries for the same keys stay, and will fail with it). */
  failed(owner: Owner): void {
    const keys = this.owned.get(owner);
    if (!keys) return;
    this.owned.delete(owner);
    for (const [kind, key] of keys) if (this.maps[kind].get(key)?.owner === owner) this.maps[kind].delete(key);
  }

  /** Lets go of the entries committed at or before `epoch`: every group still to be planned has read the database after. */
  letGo(epoch: number): void {
    const list = this.committedKeys;
    let i = this.firstCommitted;
    for (; i < list.length && list[i]!.epoch <= epoch; i++) {
      const { kind, key, epoch: committed } = list[i]!;
      const entry = this.maps[kind].get(key);
      if (entry && entry.owner === null && entry.committed === committed) this.maps[kind].delete(key);
    }
    if (i === list.length) {
      list.length = 0;
      this.firstCommitted = 0;
    } else if (i > 1024 && i > list.length / 2) {
      list.splice(0, i);
      this.firstCommitted = 0;
    } else this.firstCommitted = i;
  }
}
