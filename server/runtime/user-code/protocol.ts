/**
 * What crosses between the flow runtime and its user-code threads: the programs (JSONata expressions, sandboxed
 * JavaScript), one job of many items per message, and each item's answer. Plain data only: it is copied by
 * `postMessage`.
 */
import type { StoredEvent } from '../../../shared/event.js';

/** What user code may use of the machine, per item; beyond it the item fails and the node goes on. */
export interface UserCodeLimits {
  /** How long one JSONata evaluation may run (ms). JavaScript has its own, per node (`timeoutMs`). */
  expressionTimeoutMs: number;
  /** How deeply JSONata may nest its evaluation (recursion). */
  expressionStackDepth: number;
  /** The longest sequence a JSONata expression may build. */
  expressionSequenceLength: number;
  /** The largest value user code may hand back, as JSON (bytes). */
  maxResultBytes: number;
  /** The deepest nesting of a value user code hands back. */
  maxResultDepth: number;
  /** The heap of one user-code thread (MB): a thread that needs more is replaced. */
  threadHeapMb: number;
}

export const DEFAULT_LIMITS: UserCodeLimits = {
  expressionTimeoutMs: 1_000,
  expressionStackDepth: 500,
  expressionSequenceLength: 1_000_000,
  maxResultBytes: 1024 * 1024,
  maxResultDepth: 64,
  threadHeapMb: 256,
};

export type Program =
  | { kind: 'jsonata'; source: string }
  | { kind: 'script'; source: string; params: string[]; timeoutMs: number; memoryMb: number }
  | { kind: 'reducer'; source: string; timeoutMs: number; memoryMb: number; initialState: unknown; strategy: Strategy };

export type Strategy = 'restart' | 'resume' | 'stop';

/** Why an item failed: the dead letter's code, message and details. */
export interface ItemFailure {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export type ItemResult = { ok: true; value: unknown } | { ok: false; failure: ItemFailure };

/** One actor key's state as the reducer left it. */
export interface KeyState {
  state: unknown;
  stopped: boolean;
}

/** The work of one job: every item is run in order, each to its own answer. */
export type JobBody =
  /** A JSONata expression over each event. */
  | { op: 'evaluate'; inputs: StoredEvent[] }
  /** A script called with each argument list. */
  | { op: 'call'; args: unknown[][] }
  /** An actor's reducer folded over each key's events in order, from the states given. */
  | { op: 'fold'; items: { key: string; event: StoredEvent }[]; states: [key: string, state: KeyState][] };

/** Items the host already knows the answer of (they killed a thread): they fail with it without running. */
export type Forced = [index: number, failure: ItemFailure][];

export interface JobMessage {
  type: 'job';
  job: number;
  programId: number;
  /** Sent the first time a thread sees the program. */
  program?: Program;
  limits: UserCodeLimits;
  body: JobBody;
  forced: Forced;
}

export interface ReleaseMessage {
  type: 'release';
  programId: number;
}

export type ToThread = JobMessage | ReleaseMessage;

export interface JobAnswer {
  type: 'answer';
  job: number;
  results: ItemResult[];
  /** After a fold: each key's state after its last item (entries: keys are user data, `__proto__` included). */
  states?: [key: string, state: KeyState][];
}

/**
 * Slots of the shared progress array a thread writes as it works, so the host can tell which item of which job
 * is running, and since when, without a message (the thread may be stuck in a loop).
 */
export const PROGRESS_JOB = 0;
export const PROGRESS_ITEM = 1;
/** In the Float64Array view over the same buffer, after the two Int32 slots. */
export const PROGRESS_STARTED_AT = 1;
export const PROGRESS_BYTES = 16;
