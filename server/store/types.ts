/**
 * The one EventStore interface every adapter implements (SQLite, PostgreSQL, memory) and the conformance suite
 * checks. Events live in namespaces: `live` (the default, what every query sees) and isolated ones such as
 * `replay:<id>` or `import:<id>` that are only seen when asked for by name.
 */
import type { TimelineDensity } from '../../shared/timeline-density.js';
import type { DensityQuery } from './density.js';
import type { ClusterRepository } from './cluster.js';
import type { Causality } from '../../shared/api/events.js';
import type { RevisionInfo } from '../../shared/api/flows.js';
import type { VectorClock } from '../../shared/clock.js';
import type { EventDraft, StoredEvent } from '../../shared/event.js';
import type { Flow, FlowDraft } from '../../shared/flow.js';
import type { ReplayRepository } from './replays.js';

export const LIVE = 'live';

export interface AppendOptions {
  /** Default `live`. */
  namespace?: string;
}

export interface AppendResult {
  event: StoredEvent;
  /**
   * True when an event with this source and id, and the same content, was already stored (or comes earlier in the
   * call): the stored one is returned, nothing is written. See identity.ts.
   */
  duplicate: boolean;
}

export interface EventFilter {
  namespace?: string;
  /** Exact types, or patterns with `*`. */
  types?: string[];
  source?: string;
  process?: string;
  correlationId?: string;
  stream?: string;
  flowId?: string;
  /** RFC 3339, inclusive. */
  from?: string;
  /** RFC 3339, exclusive. */
  to?: string;
}

export interface ReadOptions extends EventFilter {
  /** Only events with a position greater than this. */
  after?: number;
  /** Default 1000, at most 10000. */
  limit?: number;
}

/** An event with its causal past and future, as `GET /api/events/:id/causality` answers it. */
export type CausalityResult = Causality;

export interface Snapshot {
  key: string;
  state: unknown;
  /** The position of the last event folded into the state. */
  position: number;
}

export interface Subscription {
  close(): void;
}

export interface SubscribeOptions extends EventFilter {
  after: number;
  /** Called in position order, one batch at a time; the next batch waits for the returned promise. */
  onEvents: (events: StoredEvent[]) => void | Promise<void>;
  onError?: (error: unknown) => void;
  /** Largest batch handed over at once (default 500). */
  batchSize?: number;
}

export interface FlowSummary {
  id: string;
  name: string;
  revision: number;
  deployedRevision: number | null;
  status: 'running' | 'stopped';
}

/** A revision's number, time and author, as `GET /api/flows/:id/revisions` lists it. */
export type { RevisionInfo };

export interface FlowRepository {
  create(flow: FlowDraft & { id: string }, author?: string | null): Promise<Flow>;
  /** Latest revision, or null. */
  get(id: string): Promise<Flow | null>;
  /** Saves a new revision; `expectedRevision` must be the latest one or a StoreError `revision_conflict`. */
  update(id: string, flow: FlowDraft, expectedRevision: number, author?: string | null): Promise<Flow>;
  delete(id: string): Promise<boolean>;
  list(): Promise<FlowSummary[]>;
  revisions(id: string): Promise<RevisionInfo[]>;
  revision(id: string, revision: number): Promise<Flow | null>;
  /** Records which revision runs (null: stopped). */
  setDeployment(id: string, revision: number | null): Promise<void>;
  deployments(): Promise<{ flowId: string; revision: number }[]>;
}

export interface EventStore {
  readonly kind: 'sqlite' | 'postgres' | 'memory';

  /**
   * Appends in one transaction; concurrent calls are group-committed. Resolves only after commit. Throws a
   * StoreError `version_conflict` (and writes nothing of this call) when an expectedVersion does not match.
   * An event is identified by its source and id, unique in the namespace (identity.ts): one whose pair is already
   * stored returns the stored event with `duplicate: true`, or, when its content differs, throws a StoreError
   * `duplicate_conflict` and writes nothing of this call. Two sources may use the same id.
   */
  append(events: EventDraft[], options?: AppendOptions): Promise<AppendResult[]>;

  read(options?: ReadOptions): Promise<StoredEvent[]>;
  readStream(stream: string, fromVersion?: number, options?: { namespace?: string; limit?: number }): Promise<StoredEvent[]>;
  /** The event with this id and `source`; without a source, the first stored with this id (sources may share it). */
  get(id: string, options?: { namespace?: string; source?: string }): Promise<StoredEvent | null>;
  /** Highest position stored (0 when empty), over all namespaces. */
  head(): Promise<number>;
  /** The latest clock of a process (its event with the highest own counter), for resuming its counter. */
  latestClock(process: string, options?: { namespace?: string }): Promise<VectorClock | null>;
  /** Events per process and slice of time, counted by the database (density.ts). */
  density(query: DensityQuery): Promise<TimelineDensity>;
  /** Of the event `get` finds. */
  causality(id: string, options?: { namespace?: string; source?: string; limit?: number }): Promise<CausalityResult | null>;

  saveSnapshot(snapshot: Snapshot): Promise<void>;
  loadSnapshot(key: string): Promise<Snapshot | null>;
  /** The latest kept snapshot of `key` filed at or before `position` (snapshot-history.ts), or null. */
  loadSnapshotAt(key: string, position: number): Promise<Snapshot | null>;
  getCheckpoint(key: string): Promise<number | null>;
  setCheckpoints(checkpoints: Record<string, number>): Promise<void>;

  /** Catch-up from `after`, then live, in position order. */
  subscribe(options: SubscribeOptions): Subscription;

  /** Deletes the events of a non-live namespace (replays, imports). */
  dropNamespace(namespace: string): Promise<number>;

  readonly flows: FlowRepository;
  readonly replays: ReplayRepository;
  /** Membership and leases of a cluster of replicas: only a store several processes can share has it. */
  readonly cluster?: ClusterRepository;

  close(): Promise<void>;
}

/**
 * `storage_full`: the database's disk (or size limit) is full; nothing of the call was written. `invalid_filter`: a
 * read or subscription named a bound the store cannot use (a `from` or `to` that is not RFC 3339), `details.field`.
 * `fenced`: a write of a cluster partition whose lease another replica now holds (cluster.ts). `store_in_use`: another
 * process holds the database in a way this one cannot share (cluster.ts, `claim`).
 */
export type StoreErrorCode =
  | 'version_conflict'
  | 'duplicate_conflict'
  | 'revision_conflict'
  | 'not_found'
  | 'invalid_event'
  | 'invalid_filter'
  | 'storage_full'
  | 'fenced'
  | 'store_in_use';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export const isStoreError = (e: unknown, code?: StoreErrorCode): e is StoreError =>
  e instanceof StoreError && (code === undefined || e.code === code);
