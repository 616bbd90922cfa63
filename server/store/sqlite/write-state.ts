/**
 * What the writer remembers between appends so that it need not ask the database per event: the head position,
 * each stream's version and each process's latest clock, per namespace. Loaded lazily and bounded; `reset`
 * forgets everything, after a failed commit or when another connection has written to the database.
 */
import type Database from 'better-sqlite3';
import type { VectorClock } from '../../../shared/clock.js';
import type { GroupPlan, LatestClock } from '../plan.js';
import { LruMap } from './lru.js';
import type { Statements } from './rows.js';

interface NamespaceCache {
  versions: LruMap<string, number>;
  clocks: LruMap<string, LatestClock | null>;
}

/** Streams and processes each cache holds, per namespace. */
export const CACHE_CAPACITY = 100_000;

export const STATE_SQL = {
  head: `SELECT max(coalesce((SELECT max(position) FROM events), 0),
                    coalesce((SELECT value FROM store_meta WHERE key = 'head'), 0))`,
  version: `SELECT coalesce(max(version), 0) FROM events WHERE namespace = ? AND stream = ?`,
  latestClock: `SELECT own, vector_clock, seq FROM events INDEXED BY events_by_process
                WHERE namespace = ? AND process = ? ORDER BY own DESC, seq DESC LIMIT 1`,
  laneTop: `SELECT own FROM events INDEXED BY events_by_lane
            WHERE namespace = ? AND process = ? AND lane = ? AND lane > 0 ORDER BY own DESC LIMIT 1`,
};

export class WriteState {
  head: number;
  private namespaces = new Map<string, NamespaceCache>();

  constructor(
    private readonly db: Database.Database,
    private readonly statements: Statements,
  ) {
    this.head = this.loadHead();
  }

  version(namespace: string, stream: string): number {
    const cache = this.cache(namespace);
    let version = cache.versions.get(stream);
    if (version === undefined) {
      version = this.statements.get(STATE_SQL.version).pluck().get(namespace, stream) as number;
      cache.versions.set(stream, version);
    }
    return version;
  }

  setVersion(namespace: string, stream: string, version: number): void {
    this.cache(namespace).versions.set(stream, version);
  }

  latestClock(namespace: string, process: string): LatestClock | null {
    const cache = this.cache(namespace);
    let latest = cache.clocks.get(process);
    if (latest === undefined) {
      const row = this.statements.get(STATE_SQL.latestClock).get(namespace, process) as
        | { own: number; vector_clock: string; seq: number }
        | undefined;
      latest = row ? { own: row.own, clock: JSON.parse(row.vector_clock) as VectorClock, events: row.seq, lanes: this.lanes(namespace, process) } : null;
      cache.clocks.set(process, latest);
    }
    return latest;
  }

  /** The highest own counter of each of the process's lanes 1, 2, …, one index seek each. */
  private lanes(namespace: string, process: string): number[] {
    const top = this.statements.get(STATE_SQL.laneTop).pluck();
    const lanes: number[] = [];
    for (let own = top.get(namespace, process, 1); own !== undefined; own = top.get(namespace, process, lanes.length + 1)) {
      lanes.push(own as number);
    }
    return lanes;
  }

  setLatestClock(namespace: string, process: string, latest: LatestClock): void {
    this.cache(namespace).clocks.set(process, latest);
  }

  /** Takes in what a committed group wrote. */
  apply(plan: GroupPlan): void {
    this.head = plan.head;
    for (const { namespace, stream, version } of plan.versions) this.setVersion(namespace, stream, version);
    for (const { namespace, process, latest } of plan.clocks) this.setLatestClock(namespace, process, latest);
  }

  forget(namespace: string): void {
    this.namespaces.delete(namespace);
  }

  reset(): void {
    this.namespaces.clear();
    this.head = this.loadHead();
  }

  private cache(namespace: string): NamespaceCache {
    let cache = this.namespaces.get(namespace);
    if (!cache) {
      cache = { versions: new LruMap(CACHE_CAPACITY), clocks: new LruMap(CACHE_CAPACITY) };
      this.namespaces.set(namespace, cache);
    }
    return cache;
  }

  private loadHead(): number {
    return this.db.prepare(STATE_SQL.head).pluck().get() as number;
  }
}
