/**
 * A group commit, planned as values: given the append calls gathered for one transaction and a view of what is
 * stored, decide call by call (in call order, as if applied one after another) which events are new and at which
 * position and version, which are duplicates of stored ones, and which calls fail on an expected version. The SQL
 * adapters only carry the plan out. A failing call takes none of its events with it and leaves the others alone.
 */
import type { VectorClock } from '../../shared/clock.js';
import type { StoredEvent } from '../../shared/event.js';
import { clockEntries, laneOf } from './causality.js';
import { jsonCopy } from './json-copy.js';
import { isStoreError, type AppendResult, type StoreError } from './types.js';
import { toJson, versionConflict, type CheckedDraft } from './validate.js';

export interface AppendCall {
  namespace: string;
  events: CheckedDraft[];
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
  /** The event stored under this id in the namespace, if any. */
  stored(namespace: string, id: string): StoredEvent | undefined;
  /** The stream's current version (0: empty). */
  version(namespace: string, stream: string): number;
  latestClock(namespace: string, process: string): LatestClock | null;
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

const keyOf = (namespace: string, name: string) => `${namespace}\u0000${name}`;

/** Pending changes of one call, or of the group so far: looked up first, then the view. */
class Overlay {
  readonly versions = new Map<string, { namespace: string; stream: string; version: number }>();
  readonly clocks = new Map<string, { namespace: string; process: string; latest: LatestClock }>();
  readonly fresh = new Map<string, StoredEvent>();
  readonly writes: EventWrite[] = [];

  constructor(private readonly parent: StoreView | Overlay) {}

  stored(namespace: string, id: string): StoredEvent | undefined {
    return this.fresh.get(keyOf(namespace, id)) ?? this.parent.stored(namespace, id);
  }

  version(namespace: string, stream: string): number {
    return this.versions.get(keyOf(namespace, stream))?.version ?? this.parent.version(namespace, stream);
  }

  latestClock(namespace: string, process: string): LatestClock | null {
    return this.clocks.get(keyOf(namespace, process))?.latest ?? this.parent.latestClock(namespace, process);
  }

  mergeInto(target: Overlay): void {
    for (const [key, value] of this.versions) target.versions.set(key, value);
    for (const [key, value] of this.clocks) target.clocks.set(key, value);
    for (const [key, value] of this.fresh) target.fresh.set(key, value);
    target.writes.push(...this.writes);
  }
}

export function planGroup(calls: AppendCall[], view: StoreView): GroupPlan {
  const group = new Overlay(view);
  let head = view.head;
  const outcomes = calls.map((call): CallOutcome => {
    const local = new Overlay(group);
    try {
      const results = call.events.map((checked) => {
        const known = local.stored(call.namespace, checked.draft.id);
        if (known) return { event: known, duplicate: true };
        const write = planEvent(call.namespace, checked, local, head + local.writes.length + 1);
        local.writes.push(write);
        return { event: write.event, duplicate: false };
      });
      local.mergeInto(group);
      head += local.writes.length;
      return { ok: true, results };
    } catch (error) {
      if (isStoreError(error)) return { ok: false, error };
      throw error;
    }
  });
  const added = new Map<string, number>();
  const renumber = new Map<string, Renumber>();
  for (const write of group.writes) {
    added.set(write.namespace, (added.get(write.namespace) ?? 0) + 1);
    if (write.lane === 0) continue;
    const key = keyOf(write.namespace, write.event.process);
    const from = Math.min(write.own, renumber.get(key)?.from ?? write.own);
    renumber.set(key, { namespace: write.namespace, process: write.event.process, from });
  }
  return {
    outcomes,
    writes: group.writes,
    head,
    versions: [...group.versions.values()],
    clocks: [...group.clocks.values()],
    added,
    renumber: [...renumber.values()],
  };
}

function planEvent(namespace: string, checked: CheckedDraft, local: Overlay, position: number): EventWrite {
  const { draft, own } = checked;
  const current = local.version(namespace, draft.stream);
  if (checked.expectedVersion !== null && checked.expectedVersion !== current) {
    throw versionConflict(draft, namespace, checked.expectedVersion, current);
  }
  const data = toJson(draft.data, draft.id, 'data');
  const metadata = toJson(draft.metadata ?? {}, draft.id, 'metadata');
  const vectorClock = JSON.stringify(draft.vectorClock);
  const latest = local.latestClock(namespace, draft.process);
  // The latest clock is a valid "previous" only when it comes before this event on its process.
  const previous = latest !== null && latest.own < own ? latest.clock : null;
  const event: StoredEvent = {
    id: draft.id,
    type: draft.type,
    source: draft.source,
    time: draft.time,
    subject: draft.subject ?? null,
    datacontenttype: draft.datacontenttype ?? null,
    data: jsonCopy(draft.data),
    stream: draft.stream,
    version: current + 1,
    position,
    process: draft.process,
    vectorClock: { ...draft.vectorClock },
    correlationId: draft.correlationId,
    causationId: draft.causationId ?? null,
    flowId: draft.flowId ?? null,
    nodeId: draft.nodeId ?? null,
    revision: draft.revision ?? null,
    metadata: jsonCopy(draft.metadata ?? {}),
  };
  local.versions.set(keyOf(namespace, draft.stream), { namespace, stream: draft.stream, version: current + 1 });
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
  local.clocks.set(keyOf(namespace, draft.process), { namespace, process: draft.process, latest: next });
  local.fresh.set(keyOf(namespace, draft.id), event);
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
