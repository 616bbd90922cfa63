/**
 * The threads user code runs in, so that no expression or script can stop the event loop: JSONata that the direct
 * path does not cover, `function` handlers and actor reducers. A node registers its program once and sends its
 * inputs a batch at a time. The programs of one flow share a thread, which runs jobs in the order they came: a
 * flow's nodes answer in the order they were given their inputs (handlers of one input by priority), and a script's
 * globals stay with it.
 *
 * Limits that hold whatever the code does: inside the thread, JSONata's own time, depth and sequence guards and
 * QuickJS's interrupt and memory limits; around it, a watchdog that terminates a thread whose current item has run
 * past twice its time limit and a second more (QuickJS polls its interrupt only every few thousand steps, and a catastrophic regex
 * never yields), and the thread's heap limit. The item that a thread died on fails with the reason; the rest of its
 * job runs again on a fresh thread. No item is ever lost: each gets an answer.
 */
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../../threads/ts-worker.js';
import {
  DEFAULT_LIMITS,
  PROGRESS_BYTES,
  PROGRESS_ITEM,
  PROGRESS_JOB,
  PROGRESS_STARTED_AT,
  type ItemFailure,
  type JobAnswer,
  type JobBody,
  type JobMessage,
  type Program,
  type UserCodeLimits,
} from './protocol.js';

export interface UserCodePoolOptions {
  /** How many threads; default 2. */
  threads?: number;
  limits?: Partial<UserCodeLimits>;
  log?: (message: string, details?: Record<string, unknown>) => void;
}

/** A registered program: what a node holds to run its code. */
export interface ProgramHandle {
  readonly id: number;
  readonly program: Program;
  /** Its items' time limit (ms): the watchdog's measure. */
  readonly timeoutMs: number;
  readonly slot: number;
}

export type JobResult = Pick<JobAnswer, 'results' | 'states'>;

/** How long a fresh thread may take to load before its job fails (a loaded machine starts threads slowly). */
const BOOT_TIMEOUT_MS = 60_000;
/** A thread that keeps dying before it runs anything is not restarted more often than this. */
const MAX_BOOT_FAILURES = 3;

/** The watchdog's limit for an item whose own limit is `ms`: room for a thread's collector and a busy machine. */
export const hardLimitOf = (ms: number): number => 2 * ms + 1_000;

interface Job {
  handle: ProgramHandle;
  body: JobBody;
  forced: [number, ItemFailure][];
  resolve(result: JobResult): void;
  /** The id of the message it was last sent as (a job is sent again after its thread died). */
  sentAs: number;
  sentAt: number;
}

const itemCount = (body: JobBody): number => (body.op === 'evaluate' ? body.inputs.length : body.op === 'call' ? body.args.length : body.items.length);

/** One thread and the jobs waiting for it, run one at a time. */
class Slot {
  private worker: Worker | undefined;
  private readonly known = new Set<number>();
  private readonly queue: Job[] = [];
  private current: Job | undefined;
  private readonly progress = new SharedArrayBuffer(PROGRESS_BYTES);
  private readonly slots = new Int32Array(this.progress);
  private readonly times = new Float64Array(this.progress);
  private watchdog: NodeJS.Timeout | undefined;
  /** Why the thread is being stopped, when the host stops it. */
  private stopping: ItemFailure | undefined;
  private deathReason: ItemFailure | undefined;
  private bootFailures = 0;
  private nextMessage = 1;
  private closed = false;

  constructor(
    private readonly limits: UserCodeLimits,
    private readonly log: (message: string, details?: Record<string, unknown>) => void,
  ) {}

  submit(job: Job): void {
    if (this.closed) {
      job.resolve(failAll(job, { code: 'closed', message: 'the runtime is stopping' }));
      return;
    }
    this.queue.push(job);
    this.pump();
  }

  release(id: number): void {
    if (this.known.delete(id)) this.worker?.postMessage({ type: 'release', programId: id });
  }

  /** Starts the thread ahead of its first job (it takes a moment to load). */
  warm(): void {
    if (!this.closed) this.ensureWorker();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.watchdog);
    const waiting = this.current ? [this.current, ...this.queue.splice(0)] : this.queue.splice(0);
    this.current = undefined;
    for (const job of waiting) job.resolve(failAll(job, { code: 'closed', message: 'the runtime is stopping' }));
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private pump(): void {
    if (this.current || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    this.send(job);
  }

  private send(job: Job): void {
    const worker = this.ensureWorker();
    const { handle } = job;
    job.sentAs = this.nextMessage++;
    job.sentAt = Date.now();
    const message: JobMessage = {
      type: 'job',
      job: job.sentAs,
      programId: handle.id,
      ...(this.known.has(handle.id) ? {} : { program: handle.program }),
      limits: this.limits,
      body: job.body,
      forced: job.forced,
    };
    this.known.add(handle.id);
    worker.postMessage(message);
    this.arm(hardLimitOf(handle.timeoutMs));
  }

  private arm(ms: number): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.check(), Math.max(1, ms));
  }

  /** The watchdog: stops the thread if its current item has run past its limit; otherwise looks again later. */
  private check(): void {
    const job = this.current;
    if (!job || !this.worker) return;
    const limit = hardLimitOf(job.handle.timeoutMs);
    if (Atomics.load(this.slots, PROGRESS_JOB) !== job.sentAs) {
      // Not started yet: the thread is loading or compiling the program.
      if (Date.now() - job.sentAt > BOOT_TIMEOUT_MS) this.stop({ code: 'unavailable', message: `the user-code thread did not start within ${BOOT_TIMEOUT_MS / 1000} s` });
      else this.arm(limit);
      return;
    }
    const ranFor = Date.now() - this.times[PROGRESS_STARTED_AT]!;
    if (ranFor < limit) {
      this.arm(limit - ranFor);
      return;
    }
    const what = job.handle.program.kind === 'jsonata' ? 'expression' : 'script';
    this.stop({ code: 'timeout', message: `the ${what} ran longer than ${job.handle.timeoutMs} ms and was stopped` });
  }

  private stop(reason: ItemFailure): void {
    this.stopping = reason;
    void this.worker?.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    Atomics.store(this.slots, PROGRESS_JOB, 0);
    const worker = startTsWorker(new URL('./thread.ts', import.meta.url), {
      workerData: { progress: this.progress },
      resourceLimits: { maxOldGenerationSizeMb: this.limits.threadHeapMb, maxYoungGenerationSizeMb: 32 },
    });
    worker.on('message', (answer: JobAnswer) => this.answered(answer));
    worker.on('error', (error: Error & { code?: string }) => {
      this.deathReason =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { code: 'memory', message: `the code used more than its thread's ${this.limits.threadHeapMb} MB of memory and was stopped` }
          : { code: 'crashed', message: `the user-code thread failed: ${error.message}` };
    });
    worker.on('exit', () => this.died(worker));
    // An idle thread does not keep the process alive. After the 'message' listener: adding it refs the worker again.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private answered(answer: JobAnswer): void {
    const job = this.current;
    if (!job || answer.job !== job.sentAs) return;
    clearTimeout(this.watchdog);
    this.current = undefined;
    this.bootFailures = 0;
    job.resolve({ results: answer.results, ...(answer.states ? { states: answer.states } : {}) });
    this.pump();
  }

  /** The thread is gone: the item it was running fails with the reason; the job runs again on a new thread. */
  private died(worker: Worker): void {
    if (worker !== this.worker) return;
    clearTimeout(this.watchdog);
    this.worker = undefined;
    this.known.clear();
    const reason = this.stopping ?? this.deathReason ?? { code: 'crashed', message: 'the user-code thread stopped' };
    this.stopping = undefined;
    this.deathReason = undefined;
    const job = this.current;
    if (this.closed || !job) return;
    this.log('user-code thread stopped', { reason: reason.code, message: reason.message });
    const started = Atomics.load(this.slots, PROGRESS_JOB) === job.sentAs;
    if (!started) {
      if (++this.bootFailures >= MAX_BOOT_FAILURES || reason.code === 'unavailable') {
        this.current = undefined;
        job.resolve(failAll(job, reason));
        this.pump();
        return;
      }
    } else {
      const index = Atomics.load(this.slots, PROGRESS_ITEM);
      if (job.forced.some(([forced]) => forced === index)) {
        // It died again past an item already failed (answering, say): give up on the whole job rather than loop.
        this.current = undefined;
        job.resolve(failAll(job, reason));
        this.pump();
        return;
      }
      job.forced.push([index, reason]);
    }
    this.send(job);
  }
}

/** A small, stable hash of a name (FNV-1a). */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function failAll(job: Job, failure: ItemFailure): JobResult {
  return { results: Array.from({ length: itemCount(job.body) }, () => ({ ok: false as const, failure })) };
}

export class UserCodePool {
  readonly limits: UserCodeLimits;
  private readonly slots: Slot[];
  private nextProgram = 1;
  private nextSlot = 0;

  constructor(options: UserCodePoolOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    const log = options.log ?? (() => {});
    this.slots = Array.from({ length: Math.max(1, options.threads ?? 2) }, () => new Slot(this.limits, log));
  }

  /** A program to run; those of one `group` (a flow) run in one thread, in the order their jobs come. */
  register(program: Program, group?: string): ProgramHandle {
    const timeoutMs = program.kind === 'jsonata' ? this.limits.expressionTimeoutMs : program.timeoutMs;
    const slot = (group === undefined ? this.nextSlot++ : hashOf(group)) % this.slots.length;
    this.slots[slot]!.warm();
    return { id: this.nextProgram++, program, timeoutMs, slot };
  }

  release(handle: ProgramHandle): void {
    this.slots[handle.slot]?.release(handle.id);
  }

  /** Runs every item of the body; each gets an answer, in order. Never rejects. */
  run(handle: ProgramHandle, body: JobBody): Promise<JobResult> {
    if (itemCount(body) === 0) return Promise.resolve({ results: [], ...(body.op === 'fold' ? { states: body.states } : {}) });
    return new Promise((resolve) => this.slots[handle.slot]!.submit({ handle, body, forced: [], resolve, sentAs: 0, sentAt: 0 }));
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.close()));
  }
}

let shared: UserCodePool | undefined;

/** One pool for a process that was given none (tests, scripts); a server passes its own. */
export function sharedUserCodePool(): UserCodePool {
  return (shared ??= new UserCodePool());
}
