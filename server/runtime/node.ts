/**
 * What a node runtime is: a handler fed one input at a time, in arrival order, that answers with outputs.
 * The flow runtime does everything else: ids, clocks, appends, delivery, counters, dead letters.
 */
import type { KeyOrigin } from './key-origin.js';
import type { RecordedEffect } from '../../shared/api/replays.js';
import type { StoredEvent } from '../../shared/event.js';
import type { CompiledNode } from '../compiler/compile.js';
import type { EventStore } from '../store/index.js';
import type { MaybePromise } from './maybe-promise.js';
import type { UserCodePool } from './user-code/pool.js';

/** Pass the same event on by a port (filter, router, throttle, dedupe). */
export interface Forward {
  kind: 'forward';
  port: string;
}

/** A derived event: caused by the input (or, for a batch, by the events it holds). */
export interface Emit {
  kind: 'emit';
  type: string;
  data: unknown;
  subject?: string | null;
  /** Default: `flow/<flowId>/<nodeId>`. */
  stream?: string;
  expectedVersion?: number;
  port?: string;
}

export type Output = Forward | Emit;

/** A pass-through node's two answers, shared by every input: the runtime never changes an answer it is given. */
export const PASS_ON: Output[] = [{ kind: 'forward', port: 'out' }];
export const HOLD_BACK: Output[] = [];

/** A failure the node reports about one input; it goes to `$deadletter` and the bus keeps flowing. */
export class NodeFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'NodeFailure';
  }
}

/** A new event a source produces (timer tick, simulated reading, MQTT message). */
export interface Produced {
  type: string;
  data: unknown;
  /** The process that produced it (a device); default the node's process. */
  process?: string;
  /** A clock the producer stamped itself (merged as the glossary says). */
  vectorClock?: Record<string, number>;
  source?: string;
  subject?: string | null;
  stream?: string;
  id?: string;
  time?: string;
  metadata?: Record<string, unknown>;
}

export interface SourceIO {
  /** Appends the events; resolves after commit (this is when a source may acknowledge its input). */
  produce(events: Produced[]): Promise<StoredEvent[]>;
  /**
   * An input that cannot become an event (the store refused it) goes to `$deadletter` instead, described by
   * `input` (plain, storable data); resolves once that is stored, when the source may acknowledge the input.
   */
  reject(failure: { code: string; message: string }, input: Record<string, unknown>): Promise<void>;
  /** Resolves when the flow has room for more input (backpressure). */
  admit(): Promise<void>;
  /** Whether the source should keep going. */
  readonly running: boolean;
  log(message: string, details?: Record<string, unknown>): void;
}

export interface HandleIO {
  /**
   * Keeps the current input open after `handle` returns (a batch holds its events); call the returned
   * function with the outputs when they are ready; it resolves once they are committed. Until then the flow's
   * checkpoint cannot pass the input.
   */
  hold(): (outputs: Output[], causes: StoredEvent[]) => Promise<void>;
  /** Sends a copy of the event to the editor's debug panel. */
  debug(event: StoredEvent): void;
}

/** What a node answers for one input of a batch: its outputs, or the failure that dead-letters it. */
export type BatchAnswer = readonly Output[] | NodeFailure;

export interface NodeHandler {
  /** One input at a time, in arrival order. Throw a NodeFailure (or any error) to dead-letter the input. */
  handle?(event: StoredEvent, io: HandleIO): Output[] | Promise<Output[]>;
  /**
   * Instead of `handle`, for nodes whose code runs in a user-code thread: a batch of inputs at once (one message to
   * the thread, not one per input), one answer per input, in order. The batch never holds an input back.
   */
  handleBatch?(events: readonly StoredEvent[]): MaybePromise<BatchAnswer[]>;
  /** Sources: start producing. */
  start?(io: SourceIO): void | Promise<void>;
  /** Emit whatever is held (a batch) now: called when the flow drains. */
  flush?(): void | Promise<void>;
  /** State to snapshot (actors), with the restore function. */
  snapshot?(): unknown;
  restore?(state: unknown): void;
  /** An actor: the keys it holds in memory now. */
  liveKeys?(): number;
  /** Each event this node emitted, once stored (a store sink follows its stream's version). */
  committed?(event: StoredEvent): void;
  stop?(): void | Promise<void>;
}

/** A side effect a sink would have had, recorded instead of performed (replays in dry-run mode). */
/** The wire type, defined once in shared/api. */
export type { RecordedEffect };

export interface NodeFactoryContext {
  node: CompiledNode;
  flowId: string;
  /** Present in dry-run replays: sinks with side effects record here what they would have done, and do nothing. */
  recordEffect?: (effect: RecordedEffect) => void;
  /** Where user code (JSONata beyond the direct path, JavaScript) runs. */
  userCode: UserCodePool;
  /** Where a node with state keeps it beside its snapshot: an actor's keys passivated out of memory. */
  snapshots?: Pick<EventStore, 'loadSnapshot' | 'saveSnapshot'>;
  /** Keys an actor keeps in memory at most; the least recently used beyond it are passivated. Default: no bound. */
  maxLiveKeys?: number;
  /** Replays: where an actor's keys start (key-origin.ts). Default: their initial state. */
  keyOrigin?: KeyOrigin;
}

export type NodeFactory = (ctx: NodeFactoryContext) => NodeHandler | Promise<NodeHandler>;
