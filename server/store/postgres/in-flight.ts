/**
 * What the groups this store has in flight will change, as their plans say: the next group is planned on it, as if
 * they commit, instead of on the database, which does not show it yet. Each entry belongs to the last group that
 * planned a change of its key, and goes when that group ends (committed, the database shows it; failed, it never
 * happened). A group planned on an entry depends on its owner: it commits only after the owner has, and is planned
 * again if the owner failed.
 */
import type { StoredEvent } from '../../../shared/event.js';
import type { GroupPlan, LatestClock } from '../plan.js';

/** Text keys: the namespace and one name, or the namespace, source and id of an event (the source's length first). */
export const keyOf = (namespace: string, name: string) => `${namespace}\u0000${name}`;
export const identityOf = (namespace: string, source: string, id: string) => `${namespace}\u0000${source.length}:${source}${id}`;

interface Entry<Owner, V> {
  owner: Owner;
  value: V;
}

/** A process's latest clock as planned, and the transaction that will have written it (`xid8` as text). */
export interface PlannedClock {
  latest: LatestClock;
  writer: string;
}

export class InFlightChanges<Owner> {
  private readonly events = new Map<string, Entry<Owner, StoredEvent>>();
  private readonly versions = new Map<string, Entry<Owner, number>>();
  private readonly clocks = new Map<string, Entry<Owner, PlannedClock>>();
  /** The keys each owner set, to forget them without looking at the others'. */
  private readonly owned = new Map<Owner, [string[], string[], string[]]>();

  event(key: string): Entry<Owner, StoredEvent> | undefined {
    return this.events.get(key);
  }

  version(key: string): Entry<Owner, number> | undefined {
    return this.versions.get(key);
  }

  clock(key: string): Entry<Owner, PlannedClock> | undefined {
    return this.clocks.get(key);
  }

  /** The changes of `owner`'s plan, written by transaction `writer`. */
  record(owner: Owner, plan: GroupPlan, writer: string): void {
    const keys: [string[], string[], string[]] = [[], [], []];
    for (const w of plan.writes) {
      const key = identityOf(w.namespace, w.event.source, w.event.id);
      this.events.set(key, { owner, value: w.event });
      keys[0].push(key);
    }
    for (const v of plan.versions) {
      const key = keyOf(v.namespace, v.stream);
      this.versions.set(key, { owner, value: v.version });
      keys[1].push(key);
    }
    for (const c of plan.clocks) {
      const key = keyOf(c.namespace, c.process);
      this.clocks.set(key, { owner, value: { latest: c.latest, writer } });
      keys[2].push(key);
    }
    this.owned.set(owner, keys);
  }

  /** `owner` has ended: its entries go (a later group's entries for the same keys stay). */
  forget(owner: Owner): void {
    const keys = this.owned.get(owner);
    if (!keys) return;
    this.owned.delete(owner);
    const maps = [this.events, this.versions, this.clocks] as Map<string, Entry<Owner, unknown>>[];
    keys.forEach((list, i) => {
      const map = maps[i]!;
      for (const key of list) if (map.get(key)?.owner === owner) map.delete(key);
    });
  }

  get empty(): boolean {
    return this.owned.size === 0;
  }
}
