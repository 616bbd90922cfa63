/**
 * A group commit, planned as values: given the append calls gathered for one transaction and a view of what is
 * stored, decide call by call (in call order, as if applied one after another) which events are new and at which
 * position and version, which are duplicates of stored ones (by source and id: see identity.ts), and which calls fail
 * on an expected version, a conflicting duplicate or a fence that no longer holds. The SQL adapters only carry the
 * plan out. A failing call takes none of its events with it and leaves the others alone.
 */
import type { VectorClock } from '../../shared/clock.js';
import type { StoredEvent } from '../../shared/event.js';
import { clockEntries, laneOf } from './causality.js';
import type { Fence } from './cluster.js';
import { fencedError } from './fenced-store.js';
import { duplicateOf } from './identity.js';
import { jsonCopy } from './json-copy.js';
import { storedEventOf } from './stored-event.js';
import { isStoreError, type AppendResult, type StoreError } from './types.js';
import { toJson, versionConflict, type CheckedDraft } from './validate.js';

export interface AppendCall {
  namespace: string;
  events: CheckedDraft[];
  /** A partition's run appending under its lease: the call is refused whole once the fence no longer holds. */
  fence?: Fence;
}

/** A process's event with the highest own counter so far, how many events the process has, and its lanes. */
export interface LatestClock {
  own: number;
  clock: VectorClock;
  /** The process's events in the namespace: the `seq` of this one, the last in own-counter order. */
  events: number;
  /** The highest own counter in each of the process's lanes 1, 2, … (lane 0's is `own`; see causality.ts). */
  lanes: number[];
}

/** What the plan needs to know of the store as it was before this group. */
export interface StoreView {
  /** The highest position ever assigned. */
  head: number;
  /** The event stored with this source and id in the namespace, if any. */
  stored(namespace: string, source: string, id: string): StoredEvent | undefined;
  /** The stream's current version (0: empty). */
  version(namespace: string, stream: string): number;
  latestClock(namespace: string, process: string): LatestClock | null;
  /** Whether a partition's lease is still held under this fence; a view without it refuses every fenced call. */
  fenceHolds?(fence: Fence): boolean;
}

/** One new event, ready to write: the stored event plus the forms the tables keep. */
export interface EventWrite {
  namespace: string;
  event: StoredEvent;
  timeKey: string;
  own: number;
  data: string;
  metadata: string;
  vectorClock: string;
  /** The foreign clock entries to index for the causal future (see causality.ts). */
  clockEntries: [peer: string, counter: number][];
  /** Its ordinal among its process's events by own counter then position (see causality.ts); final unless late. */
  seq: number;
  /** 0, or above 0 when it is late: it arrived after an event of its process with a higher own counter. */
  lane: number;
}

/** A process whose events from own counter `from` on must be numbered again, because a late event joined them. */
export interface Renumber {
  namespace: string;
  process: string;
  from: number;
}

export type CallOutcome = { ok: true; results: AppendResult[] } | { ok: false; error: StoreError };

export interface GroupPlan {
  outcomes: CallOutcome[];
  /** New events of the successful calls, in position order. */
  writes: EventWrite[];
  /** The head once the writes are committed. */
  head: number;
  /** Stream versions and latest clocks the writes change, for caches. */
  versions: { namespace: string; stream: string; version: number }[];
  clocks: { namespace: string; process: string; latest: LatestClock }[];
  /** New events per namespace. */
  added: Map<string, number>;
  /** At most one per process, to carry out after the writes. */
  renumber: Renumber[];
}

type Versioned = { namespace: string; stream: string; version: number };
type Clocked = { namespace: string; process: string; latest: LatestClock };

/** Values by namespace, then name: no key text is built per lookup. */
class ByNamespace<V> {
  readonly namespaces = new Map<string, Map<string, V>>();

  get(namespace: string, name: string): V | undefined {
    return this.namespaces.get(namespace)?.get(name);
  }

  /** Sets the value and answers the one it replaced. */
  set(namespace: string, name: string, value: V): V | undefined {
    let names = this.namespaces.get(namespace);
    if (!names) this.namespaces.set(namespace, (names = new Map()));
    const previous = names.get(name);
    names.set(name, value);
    return previous;
  }

  restore(namespace: string, name: string, previous: V | undefined): void {
    const names = this.namespaces.get(namespace)!;
    if (previous === undefined) names.delete(name);
    else names.set(name, previous);
  }

  *values(): IterableIterator<V> {
    for (const names of this.namespaces.values()) yield* names.values();
  }
}

/** Events by namespace, source and id: those the group plans to write. */
class Identities {
  private readonly namespaces = new Map<string, Map<string, Map<string, StoredEvent>>>();

  get(namespace: string, source: string, id: string): StoredEvent | undefined {
    return this.namespaces.get(namespace)?.get(source)?.get(id);
  }

  add(namespace: string, event: StoredEvent): void {
    let sources = this.namespaces.get(namespace);
    if (!sources) this.namespaces.set(namespace, (sources = new Map()));
    let ids = sources.get(event.source);
    if (!ids) sources.set(event.source, (ids = new Map()));
    ids.set(event.id, event);
  }

  delete(namespace: string, event: StoredEvent): void {
    this.namespaces.get(namespace)?.get(event.source)?.delete(event.id);
  }
}

/**
 * The group's changes so far, looked up before the view. A call's changes are journalled as they are made, so that a
 * call that fails takes them back and leaves the group as it was.
 */
class Overlay implements StoreView {
  readonly versions = new ByNamespace<Versioned>();
  readonly clocks = new ByNamespace<Clocked>();
  /** Each pair is added once (a second event with it is a duplicate): a failing call's are taken out by its writes. */
  readonly fresh = new Identities();
  readonly writes: EventWrite[] = [];
  /** Flat: map, namespace, name, previous value — four entries per change; reused, its first `journaled` hold. */
  private readonly journal: unknown[] = [];
  private journaled = 0;

  constructor(private readonly view: StoreView) {}

  get head(): number {
    return this.view.head;
  }

  stored(namespace: string, source: string, id: string): StoredEvent | undefined {
    return this.fresh.get(namespace, source, id) ?? this.view.stored(namespace, source, id);
  }

  version(namespace: string, stream: string): number {
    return this.versions.get(namespace, stream)?.version ?? this.view.version(namespace, stream);
  }

  latestClock(namespace: string, process: string): LatestClock | null {
    const latest = this.clocks.get(namespace, process)?.latest;
    return latest !== undefined ? latest : this.view.latestClock(namespace, process);
  }

  /** Records a change: `map`'s entry for the name, undone by `rollBack`. */
  change<V>(map: ByNamespace<V>, namespace: string, name: string, value: V): void {
    const j = this.journal;
    const at = this.journaled;
    j[at] = map;
    j[at + 1] = namespace;
    j[at + 2] = name;
    j[at + 3] = map.set(namespace, name, value);
    this.journaled = at + 4;
  }

  /** Keeps the changes made since the last call. */
  keep(): void {
    this.journaled = 0;
  }

  /** Takes back the changes made since the last `keep`, the writes planned since `writes` included. */
  rollBack(writes: number): void {
    const j = this.journal;
    for (let i = this.journaled - 4; i >= 0; i -= 4) (j[i] as ByNamespace<unknown>).restore(j[i + 1] as string, j[i + 2] as string, j[i + 3]);
    this.journaled = 0;
    for (let i = writes; i < this.writes.length; i++) this.fresh.delete(this.writes[i]!.namespace, this.writes[i]!.event);
    this.writes.length = writes;
  }
}

export function planGroup(calls: AppendCall[], view: StoreView): GroupPlan {
  const group = new Overlay(view);
  const outcomes = calls.map((call): CallOutcome => {
    const before = group.writes.length;
    // Positions above this one are this call's: a pair held by one of them is repeated inside the call.
    const callStart = view.head + before;
    if (call.fence && !view.fenceHolds?.(call.fence)) return { ok: false, error: fencedError(call.fence) };
    try {
      const results = call.events.map((checked, index) => {
        const { draft } = checked;
        // A pair the group plans to write is repeated inside this call when this call planned it; one the view holds
        // is stored (or written by a transaction still in flight), whatever its position.
        const planned = group.fresh.get(call.namespace, draft.source, draft.id);
        const known = planned ?? view.stored(call.namespace, draft.source, draft.id);
        if (known) return duplicateOf(known, draft, index, call.namespace, planned !== undefined && planned.position > callStart ? firstIndexOf(call, draft) : null);
        const write = planEvent(call.namespace, checked, group, view.head + group.writes.length + 1);
        group.writes.push(write);
        group.fresh.add(call.namespace, write.event);
        return { event: write.event, duplicate: false };
      });
      group.keep();
      return { ok: true, results };
    } catch (error) {
      group.rollBack(before);
      if (isStoreError(error)) return { ok: false, error };
      throw error;
    }
  });
  const added = new Map<string, number>();
  const renumber = new Map<string, Renumber>();
  for (const write of group.writes) {
    added.set(write.namespace, (added.get(write.namespace) ?? 0) + 1);
    if (write.lane === 0) continue;
    const key = `${write.namespace}\u0000${write.event.process}`;
    const from = Math.min(write.own, renumber.get(key)?.from ?? write.own);
    renumber.set(key, { namespace: write.namespace, process: write.event.process, from });
  }
  return {
    outcomes,
    writes: group.writes,
    head: view.head + group.writes.length,
    versions: [...group.versions.values()],
    clocks: [...group.clocks.values()],
    added,
    renumber: [...renumber.values()],
  };
}

/**
 * Moves a plan made on a head of 0 to follow `head`: for an adapter that learns the positions it writes only once it
 * knows how many it needs (PostgreSQL reserves them). The stored events it answers with are moved too.
 */
export function placeAfter(plan: GroupPlan, head: number): void {
  for (const write of plan.writes) write.event.position += head;
  plan.head += head;
}

function planEvent(namespace: string, checked: CheckedDraft, local: Overlay, position: number): EventWrite {
  const { draft, own } = checked;
  const current = local.version(namespace, draft.stream);
  if (checked.expectedVersion !== null && checked.expectedVersion !== current) {
    throw versionConflict(draft, namespace, checked.expectedVersion, current);
  }
  const data = toJson(draft.data, draft.id, 'data');
  const empty = isEmpty(draft.metadata);
  const metadata = empty ? '{}' : toJson(draft.metadata, draft.id, 'metadata');
  const vectorClock = JSON.stringify(draft.vectorClock);
  const latest = local.latestClock(namespace, draft.process);
  // The latest clock is a valid "previous" only when it comes before this event on its process.
  const previous = latest !== null && latest.own < own ? latest.clock : null;
  const event = storedEventOf(draft, position, current + 1, jsonCopy(draft.data), empty ? {} : (jsonCopy(draft.metadata) as Record<string, unknown>));
  local.change(local.versions, namespace, draft.stream, { namespace, stream: draft.stream, version: current + 1 });
  // An event with an own counter below the latest one is late: it takes the next seq for now (the writer numbers
  // its process's events from its counter on again) and the first lane it does not go back in.
  const seq = (latest?.events ?? 0) + 1;
  let lane = 0;
  let next: LatestClock = { own, clock: event.vectorClock, events: seq, lanes: latest?.lanes ?? [] };
  if (latest !== null && own < latest.own) {
    lane = laneOf(latest.lanes, own);
    const lanes = [...latest.lanes];
    lanes[lane - 1] = own;
    next = { ...latest, events: seq, lanes };
  }
  local.change(local.clocks, namespace, draft.process, { namespace, process: draft.process, latest: next });
  return {
    namespace,
    event,
    timeKey: checked.timeKey,
    own,
    data,
    metadata,
    vectorClock,
    clockEntries: clockEntries(draft.vectorClock, draft.process, previous),
    seq,
    lane,
  };
}

/** The index of the first event of the call with the source and id of `draft`. */
const firstIndexOf = (call: AppendCall, draft: CheckedDraft['draft']): number =>
  call.events.findIndex((c) => c.draft.source === draft.source && c.draft.id === draft.id);

/** No metadata, or an object without keys of its own: most events' (it is written as `{}`). */
function isEmpty(metadata: Record<string, unknown> | undefined): boolean {
  if (metadata === undefined || metadata === null) return true;
  if (Object.getPrototypeOf(metadata) !== Object.prototype) return false; // toJSON and kin: let JSON decide
  for (const key in metadata) if (Object.hasOwn(metadata, key)) return false;
  return true;
}
