/**
 * ShiViz logs parsed off the event loop, with a time limit. A few worker threads (`shiviz-worker.ts`, started on
 * first use) each run one import at a time. An import that runs past the limit — a user's regex that backtracks
 * for ever — has its worker terminated (a regex cannot be interrupted any other way) and replaced, and fails with
 * `regex_timeout`; a worker that runs out of memory or dies fails its import with a code of its own. Either way the
 * server goes on. The limit counts from when a worker takes the import, not the wait before. Imports wait in a
 * short queue while every worker is busy, and are refused with `imports_busy` beyond it: each holds a body of up
 * to 10 MiB.
 */
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../threads/ts-worker.js';
import { ImportError } from './import-error.js';
import { hasUserRegex, type ShiVizJob, type ShiVizJobResult } from './shiviz-job.js';

/** What the worker says. */
export type WorkerMessage = { kind: 'ready' } | { kind: 'done'; result: ShiVizJobResult } | { kind: 'failed'; message: string };

export interface ShiVizPoolOptions {
  /** How long one import may take in its worker (ms). */
  timeoutMs: number;
  /** Imports parsed at once. */
  workers?: number;
  /** Imports that may wait while every worker is busy. */
  maxQueued?: number;
  /** Each worker's heap (old generation, MB). */
  memoryMb?: number;
  /** The worker module (tests give one that misbehaves). */
  moduleUrl?: URL;
}

interface Pending {
  job: ShiVizJob;
  resolve: (result: ShiVizJobResult) => void;
  reject: (error: ImportError) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  running: Pending | null;
  timer: NodeJS.Timeout | undefined;
}

const WORKER_MODULE = new URL('./shiviz-worker.ts', import.meta.url);

export class ShiVizPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Pending[] = [];
  private readonly workers: number;
  private readonly maxQueued: number;
  private readonly memoryMb: number;
  private closed = false;

  constructor(private readonly options: ShiVizPoolOptions) {
    this.workers = options.workers ?? 2;
    this.maxQueued = options.maxQueued ?? 8;
    this.memoryMb = options.memoryMb ?? 512;
  }

  /** Parses a log in a worker; the log's own problems are in the result, the rest is an ImportError. */
  parse(job: ShiVizJob): Promise<ShiVizJobResult> {
    if (this.closed) return Promise.reject(shuttingDown());
    let running = 0;
    for (const slot of this.slots) if (slot.running) running++;
    if (running + this.queue.length >= this.workers + this.maxQueued) {
      return Promise.reject(new ImportError('imports_busy', `${running + this.queue.length} ShiViz imports are being parsed or waiting; try again shortly`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /** Terminates the workers; imports under way or waiting fail with `parse_failed`. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(shuttingDown());
    const slots = [...this.slots];
    this.slots.clear();
    for (const slot of slots) {
      clearTimeout(slot.timer);
      slot.running?.reject(shuttingDown());
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  /** Hands waiting imports to idle workers, and starts workers while imports wait for one. */
  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.ready && !slot.running) this.run(slot, this.queue.shift()!);
    }
    let starting = 0;
    for (const slot of this.slots) if (!slot.ready) starting++;
    while (this.queue.length > starting && this.slots.size < this.workers) {
      this.start();
      starting++;
    }
  }

  private start(): void {
    const worker = startTsWorker(this.options.moduleUrl ?? WORKER_MODULE, { resourceLimits: { maxOldGenerationSizeMb: this.memoryMb } });
    const slot: Slot = { worker, ready: false, running: null, timer: undefined };
    this.slots.add(slot);
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'ready') {
        slot.ready = true;
        this.dispatch();
      } else {
        this.finish(slot, message.kind === 'done' ? message.result : new ImportError('parse_failed', `the ShiViz parser failed: ${message.message}`));
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.lose(
        slot,
        outOfMemory
          ? new ImportError('parse_out_of_memory', `parsing the log needed more than the ${this.memoryMb} MB it may use; import it in smaller parts`, { path: 'body', limitMb: this.memoryMb })
          : new ImportError('parse_failed', `the ShiViz parser failed: ${error.message}`),
      );
    });
    worker.on('exit', (code) => this.lose(slot, new ImportError('parse_failed', `the ShiViz parser stopped (exit code ${code})`)));
    // An idle worker does not keep the process alive; a running import is held by its timer. After the 'message'
    // listener: adding it refs the worker again.
    worker.unref();
  }

  private run(slot: Slot, pending: Pending): void {
    slot.running = pending;
    slot.timer = setTimeout(() => this.lose(slot, timedOut(pending.job, this.options.timeoutMs)), this.options.timeoutMs);
    slot.worker.postMessage(pending.job);
  }

  private finish(slot: Slot, outcome: ShiVizJobResult | ImportError): void {
    // An answer that crossed the time-out: the import has failed already.
    if (!this.slots.has(slot)) return;
    const pending = slot.running;
    clearTimeout(slot.timer);
    slot.running = null;
    if (outcome instanceof ImportError) pending?.reject(outcome);
    else pending?.resolve(outcome);
    this.dispatch();
  }

  /** A worker is gone (timed out, out of memory, crashed): its import fails, and a worker that had worked is replaced. */
  private lose(slot: Slot, error: ImportError): void {
    if (!this.slots.delete(slot)) return;
    clearTimeout(slot.timer);
    void slot.worker.terminate();
    if (slot.running) {
      slot.running.reject(error);
    } else if (!slot.ready) {
      // It died while starting: another would too, so the imports waiting for it fail rather than loop.
      for (const pending of this.queue.splice(0)) pending.reject(error);
    }
    if (this.closed) return;
    if (slot.ready) this.start();
    this.dispatch();
  }
}

function timedOut(job: ShiVizJob, limitMs: number): ImportError {
  if (hasUserRegex(job)) {
    const path = job.form ? 'body' : job.regex !== null ? 'regex' : 'delimiter';
    return new ImportError(
      'regex_timeout',
      `the ${path === 'delimiter' ? 'delimiter' : 'regex'} took longer than ${limitMs} ms to parse this log; try a simpler regex (nested repetition such as (a+)+ can take for ever)`,
      { path, limitMs },
    );
  }
  return new ImportError('parse_timeout', `parsing the log took longer than ${limitMs} ms; import it in smaller parts`, { path: 'body', limitMs });
}

const shuttingDown = () => new ImportError('parse_failed', 'the server is shutting down');
