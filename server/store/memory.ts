/**
 * The in-memory EventStore: for replays, tests and benchmarks. Appends apply at once, in call order; data is
 * copied through JSON on the way in, so it reads back exactly as the SQL adapters would return it.
 */
import { counterOf, type VectorClock } from '../../shared/clock.js';
import { compare } from '../clocks.js';
import type { EventDraft, StoredEvent } from '../../shared/event.js';
import { compileFilter, namespaceOf } from './filter.js';
import { timeKey } from './time.js';
import type { TimelineDensity } from '../../shared/timeline-density.js';
import { msOfKey, type DensityQuery } from './density.js';
import { CAUSALITY_LIMIT, READ_LIMIT, clampLimit } from './limits.js';
import { TimeBuckets } from './memory-density.js';
import { MemoryFlowRepository } from './memory-flows.js';
import { MemoryReplayRepository } from './memory-replays.js';
import { Signal, pageOf, trackedSubscription, type Page } from './subscription.js';
import {
  LIVE,
  type AppendOptions,
  type AppendResult,
  type CausalityResult,
  type EventFilter,
  type EventStore,
  type ReadOptions,
  type Snapshot,
  type SubscribeOptions,
  type Subscription,
} from './types.js';
import { duplicateOf } from './identity.js';
import { jsonCopy } from './json-copy.js';
import { SnapshotHistory } from './snapshot-history.js';
import { storedEventOf } from './stored-event.js';
import { checkDrafts, notJson, versionConflict } from './validate.js';

/**
 * One namespace: events in position order, with indexes by source and id, by id (the first stored) and by stream, and
 * its counts per second for the timeline's density.
 */
class Namespace {
  readonly entries: StoredEvent[] = [];
  readonly times = new TimeBuckets();
  readonly bySource = new Map<string, Map<string, StoredEvent>>();
  readonly byId = new Map<string, StoredEvent>();
  readonly streams = new Map<string, StoredEvent[]>();

  stored(source: string, id: string): StoredEvent | undefined {
    return this.bySource.get(source)?.get(id);
  }

  /** Adds an event; `stream` is its stream's events when it has any. */
  add(event: StoredEvent, stream: StoredEvent[] | undefined): void {
    this.entries.push(event);
    let ids = this.bySource.get(event.source);
    if (!ids) this.bySource.set(event.source, (ids = new Map()));
    ids.set(event.id, event);
    if (!this.byId.has(event.id)) this.byId.set(event.id, event);
    if (stream) stream.push(event);
    else this.streams.set(event.stream, [event]);
  }

  /** Removes the events added after the first `count`, newest first. */
  truncate(count: number): void {
    while (this.entries.length > count) {
      const event = this.entries.pop()!;
      this.bySource.get(event.source)!.delete(event.id);
      if (this.byId.get(event.id) === event) this.byId.delete(event.id);
      const stream = this.streams.get(event.stream)!;
      stream.pop();
      if (stream.length === 0) this.streams.delete(event.stream);
    }
  }

  /** Index of the first entry with a position above `after`. */
  firstAfter(after: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.position <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The stored copy of a field; a value with no JSON form is refused as the SQL adapters refuse it. */
function storedCopy<T>(value: T, id: string, field: string): T {
  try {
    return jsonCopy(value);
  } catch (error) {
    throw notJson(id, field, error);
  }
}

export function openMemoryStore(options: { snapshotHistory?: number } = {}): EventStore {
  return new MemoryStore(options.snapshotHistory);
}

class MemoryStore implements EventStore {
  readonly kind = 'memory' as const;
  readonly flows = new MemoryFlowRepository();
  readonly replays = new MemoryReplayRepository();
  private namespaces = new Map<string, Namespace>();
  private position = 0;
  private snapshots = new Map<string, Snapshot>();
  private readonly history: SnapshotHistory;
  private checkpoints = new Map<string, number>();
  private commits = new Signal();
  private subscriptions = new Set<Subscription>();

  constructor(snapshotHistory?: number) {
    this.history = new SnapshotHistory(snapshotHistory);
  }
  private closed = false;

  /** Adds the events in place as it goes; should one be refused, those it added are taken out again. */
  async append(drafts: EventDraft[], options?: AppendOptions): Promise<AppendResult[]> {
    this.ensureOpen();
    const checked = checkDrafts(drafts);
    const namespace = namespaceOf(options);
    const space = this.namespaces.get(namespace) ?? new Namespace();
    const before = space.entries.length;
    const results: AppendResult[] = [];
    try {
      for (let index = 0; index < checked.length; index++) {
        const c = checked[index]!;
        const known = space.stored(c.draft.source, c.draft.id);
        if (known) {
          // Positions above the head are this call's: the pair is repeated inside it.
          const first = known.position > this.position ? checked.findIndex((o) => o.draft.source === c.draft.source && o.draft.id === c.draft.id) : null;
          results.push(duplicateOf(known, c.draft, index, namespace, first));
          continue;
        }
        const stream = space.streams.get(c.draft.stream);
        const current = stream?.length ?? 0;
        if (c.expectedVersion !== null && c.expectedVersion !== current) {
          throw versionConflict(c.draft, namespace, c.expectedVersion, current);
        }
        const position = this.position + (space.entries.length - before) + 1;
        const event = storedEventOf(c.draft, position, current + 1, storedCopy(c.draft.data, c.draft.id, 'data'), storedCopy(c.draft.metadata ?? {}, c.draft.id, 'metadata'));
        space.add(event, stream);
        results.push({ event, duplicate: false });
      }
    } catch (error) {
      space.truncate(before);
      throw error;
    }
    const added = space.entries.length - before;
    // Counted once the call can no longer fail: a refused call takes its events out again, and has counted none.
    for (let i = before; i < space.entries.length; i++) space.times.add(space.entries[i]!.process, msOfKey(timeKey(space.entries[i]!.time)!));
    if (added > 0) {
      this.namespaces.set(namespace, space);
      this.position += added;
      this.commits.emit();
    }
    return results;
  }

  async read(options: ReadOptions = {}): Promise<StoredEvent[]> {
    return this.select(options, options.after ?? 0, clampLimit(options.limit, READ_LIMIT));
  }

  async readStream(stream: string, fromVersion = 1, options: { namespace?: string; limit?: number } = {}): Promise<StoredEvent[]> {
    const entries = this.namespaces.get(namespaceOf(options))?.streams.get(stream) ?? [];
    const start = Math.max(0, Math.ceil(fromVersion) - 1);
    return entries.slice(start, start + clampLimit(options.limit, READ_LIMIT));
  }

  async get(id: string, options: { namespace?: string; source?: string } = {}): Promise<StoredEvent | null> {
    const space = this.namespaces.get(namespaceOf(options));
    return (options.source === undefined ? space?.byId.get(id) : space?.stored(options.source, id)) ?? null;
  }

  async head(): Promise<number> {
    return this.position;
  }

  async latestClock(process: string, options?: { namespace?: string }): Promise<VectorClock | null> {
    let latest: StoredEvent | null = null;
    for (const event of this.namespaces.get(namespaceOf(options))?.entries ?? []) {
      if (event.process === process && (latest === null || own(event) >= own(latest))) latest = event;
    }
    return latest ? { ...latest.vectorClock } : null;
  }

  async density(query: DensityQuery): Promise<TimelineDensity> {
    return (this.namespaces.get(namespaceOf(query))?.times ?? new TimeBuckets()).density(query);
  }

  async causality(id: string, options: { namespace?: string; source?: string; limit?: number } = {}): Promise<CausalityResult | null> {
    const space = this.namespaces.get(namespaceOf(options));
    const target = await this.get(id, options);
    if (!space || !target) return null;
    const past: StoredEvent[] = [];
    const future: StoredEvent[] = [];
    for (const event of space.entries) {
      if (event === target) continue;
      const order = compare(event.vectorClock, target.vectorClock);
      if (order === 'before') past.push(event);
      else if (order === 'after') future.push(event);
    }
    const limit = clampLimit(options.limit, CAUSALITY_LIMIT);
    return {
      event: target,
      past: past.reverse().slice(0, limit),
      future: future.slice(0, limit),
      pastCount: past.length,
      futureCount: future.length,
      concurrent: space.entries.length - past.length - future.length - 1,
    };
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.ensureOpen();
    const stored = { ...snapshot, state: storedCopy(snapshot.state, snapshot.key, 'state') };
    this.snapshots.set(snapshot.key, stored);
    this.history.add(stored);
  }

  async loadSnapshot(key: string): Promise<Snapshot | null> {
    const found = this.snapshots.get(key);
    return found ? structuredClone(found) : null;
  }

  async loadSnapshotAt(key: string, position: number): Promise<Snapshot | null> {
    const found = this.history.at(key, position);
    return found ? structuredClone(found) : null;
  }

  async getCheckpoint(key: string): Promise<number | null> {
    return this.checkpoints.get(key) ?? null;
  }

  async setCheckpoints(checkpoints: Record<string, number>): Promise<void> {
    this.ensureOpen();
    for (const [key, position] of Object.entries(checkpoints)) this.checkpoints.set(key, position);
  }

  subscribe(options: SubscribeOptions): Subscription {
    this.ensureOpen();
    const readPage = (after: number, limit: number): Page => {
      const upTo = this.position;
      const events = this.select(options, after, limit);
      return pageOf(events, limit, upTo);
    };
    return trackedSubscription(this.subscriptions, options, readPage, this.commits);
  }

  async dropNamespace(namespace: string): Promise<number> {
    if (namespace === LIVE) throw new Error('the live namespace cannot be dropped');
    const count = this.namespaces.get(namespace)?.entries.length ?? 0;
    this.namespaces.delete(namespace);
    return count;
  }

  async close(): Promise<void> {
    for (const subscription of [...this.subscriptions]) subscription.close();
    this.closed = true;
  }

  private select(filter: EventFilter, after: number, limit: number): StoredEvent[] {
    const space = this.namespaces.get(namespaceOf(filter));
    if (!space || limit === 0) return [];
    const matches = compileFilter(filter);
    const timed = filter.from !== undefined || filter.to !== undefined;
    const out: StoredEvent[] = [];
    for (let i = space.firstAfter(after); i < space.entries.length && out.length < limit; i++) {
      const event = space.entries[i]!;
      // Times were checked on the way in; their keys are worked out only when the filter has a time range.
      if (matches(event, timed ? timeKey(event.time)! : '')) out.push(event);
    }
    return out;
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }
}

const own = (e: StoredEvent) => counterOf(e.vectorClock, e.process);

