/**
 * The replays: started in the background, followed while they run, kept in the store. A running replay lives
 * here and is saved on start, every `persistEveryMs` while it moves, and when it ends; a finished one is read back
 * from the store, so its status, diff and recorded effects outlive the server process. Replays this process was
 * running when it stopped read as failed, interrupted by a restart.
 *
 * This process runs at most `limits.running` replays at once, and `limits.perFlow` of one flow: beyond that a start
 * is refused (`too_many_replays`) until one ends or is cancelled.
 */
import type { CompileOptions } from '../compiler/compile.js';
import type { UserCodePool } from '../runtime/user-code/pool.js';
import { randomUUID } from 'node:crypto';
import type { ReplayStatus } from '../../shared/api/replays.js';
import type { Flow } from '../../shared/flow.js';
import { type EventStore, MAX_REPLAY_LIST_LIMIT } from '../store/index.js';
import { ReplayError } from './errors.js';
import { fromRecord, INTERRUPTED, interrupted, toRecord, type SavedReplay } from './records.js';
import { ReplayRun, type ReplayRequest, type ReplaySource, type ReplayTiming } from './run.js';
import { throttleLatest, type Throttle } from './throttle.js';

/** How many replays may run at once in this process. */
export interface ReplayLimits {
  running: number;
  perFlow: number;
}

/** "1 replay … is", "2 replays … are". */
const replays = (n: number, of = '') => (n === 1 ? `1 replay${of} is` : `${n} replays${of} are`);

export const DEFAULT_REPLAY_LIMITS: ReplayLimits = { running: 4, perFlow: 2 };

export interface ReplayRegistryOptions {
  /** This runtime process's name: its replays are the ones it marks interrupted on start. */
  process?: string;
  timing?: Partial<ReplayTiming>;
  limits?: ReplayLimits;
  /** How often a running replay's progress is saved (ms). */
  persistEveryMs?: number;
  /** How often `watch` reads a replay running in another process from the store (ms). */
  remotePollMs?: number;
  /** Aborted when the server shuts down: running replays stop as interrupted. */
  shutdown?: AbortSignal | undefined;
  /** Where the replayed flows' user code runs (the server's pool, with its limits). */
  userCode?: UserCodePool;
  /** How revisions are compiled: as the server deploys them. */
  compile?: CompileOptions;
  log?: (message: string, details?: Record<string, unknown>) => void;
}

interface Active {
  run: ReplayRun;
  done: Promise<ReplayStatus>;
  listeners: Set<(status: ReplayStatus) => void>;
  persist: Throttle<void>;
  saving: Promise<void>;
}

export class ReplayRegistry {
  private readonly active = new Map<string, Active>();
  private readonly process: string;
  private readonly recovered: Promise<void>;

  constructor(
    private readonly store: EventStore,
    private readonly options: ReplayRegistryOptions = {},
  ) {
    this.process = options.process ?? 'main';
    this.recovered = this.recover().catch((error: unknown) => this.log('could not mark interrupted replays', { error: String(error) }));
    const { shutdown } = options;
    shutdown?.addEventListener('abort', () => this.abortAll(), { once: true });
  }

  /**
   * Saves the replay as running, starts it in the background and returns it; a ReplayError `too_many_replays`
   * when the limits are reached. `source`: its inputs and originals, when not the request's selection (a re-drive).
   */
  async start(request: ReplayRequest, flow: Flow, source?: ReplaySource): Promise<ReplayRun> {
    await this.recovered;
    // Counted and taken in the same turn: two starts at once cannot both see the last free place.
    this.checkLimits(request.flowId);
    const listeners = new Set<(status: ReplayStatus) => void>();
    const run = new ReplayRun(randomUUID(), request, this.store, {
      ...(this.options.timing ? { timing: this.options.timing } : {}),
      ...(this.options.userCode ? { userCode: this.options.userCode } : {}),
      ...(this.options.compile ? { compile: this.options.compile } : {}),
      ...(source ? { source } : {}),
      onChange: (r) => this.changed(r.id),
      flowName: flow.name,
    });
    const entry: Active = {
      run,
      done: Promise.resolve(run.status()),
      listeners,
      persist: throttleLatest(() => this.save(run.id), this.options.persistEveryMs ?? 1000),
      saving: Promise.resolve(),
    };
    this.active.set(run.id, entry);
    try {
      await this.store.replays.save(toRecord(this.saved(run), this.process));
    } catch (error) {
      this.active.delete(run.id);
      throw error;
    }
    if (this.options.shutdown?.aborted) run.abort(INTERRUPTED);
    entry.done = run.run(flow).then(async (status) => {
      entry.persist.cancel();
      this.save(run.id);
      await entry.saving;
      this.active.delete(run.id);
      return status;
    });
    return run;
  }

  /**
   * Stops a replay running here at its next page and resolves with its final status (`cancelled`, its diff
   * partial) once saved; null when there is no such replay. A ReplayError `replay_ended` when it has ended,
   * `replay_elsewhere` when another process sharing the store runs it.
   */
  async cancel(id: string): Promise<ReplayStatus | null> {
    const entry = this.active.get(id);
    if (entry?.run.running) {
      entry.run.cancel();
      return entry.done;
    }
    await this.recovered;
    const record = entry ? null : await this.store.replays.get(id);
    const state = entry ? (await entry.done).state : record?.state;
    if (state === undefined) return null;
    if (state === 'running') {
      throw new ReplayError('replay_elsewhere', `replay "${id}" runs in the server process "${record!.process}": cancel it there`, { process: record!.process });
    }
    throw new ReplayError('replay_ended', `replay "${id}" has already ended (${state}): only a running replay can be cancelled`, { state });
  }

  /** A replay's status and recorded effects: live while it runs here, else as stored. */
  async get(id: string): Promise<SavedReplay | null> {
    const entry = this.active.get(id);
    if (entry) return this.saved(entry.run);
    await this.recovered;
    const record = await this.store.replays.get(id);
    return record ? fromRecord(record) : null;
  }

  /** Resolves when a replay running here has finished and is saved (tests, benchmarks). */
  finished(id: string): Promise<ReplayStatus> | null {
    return this.active.get(id)?.done ?? null;
  }

  /** The newest replays first, as the store has them, with the progress of those running here. */
  async list(limit?: number): Promise<ReplayStatus[]> {
    await this.recovered;
    const records = await this.store.replays.list(limit === undefined ? {} : { limit });
    return records.map((r) => this.active.get(r.id)?.run.status() ?? fromRecord(r).status);
  }

  /**
   * Calls `listener` with the status whenever it may have changed, until it is no longer running; returns the
   * way to stop. A replay running in another process sharing the store is read from the store every `remotePollMs`.
   */
  watch(id: string, listener: (status: ReplayStatus) => void): () => void {
    const entry = this.active.get(id);
    if (entry) {
      entry.listeners.add(listener);
      return () => entry.listeners.delete(listener);
    }
    let stopped = false;
    const poll = async () => {
      if (stopped) return;
      const replay = await this.get(id).catch(() => null);
      if (stopped || !replay) return;
      listener(replay.status);
      if (replay.status.state === 'running') timer = setTimeout(() => void poll(), this.options.remotePollMs ?? 1000);
    };
    let timer = setTimeout(() => void poll(), this.options.remotePollMs ?? 1000);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  private checkLimits(flowId: string): void {
    const limits = this.options.limits ?? DEFAULT_REPLAY_LIMITS;
    let running = 0;
    let ofFlow = 0;
    for (const { run } of this.active.values()) {
      if (!run.running) continue;
      running++;
      if (run.request.flowId === flowId) ofFlow++;
    }
    const details = { running, limit: limits.running, flowRunning: ofFlow, flowLimit: limits.perFlow };
    const advice = 'wait for one to finish or cancel one (Cancel replay on its page, or POST /api/replays/<id>/cancel)';
    if (running >= limits.running) {
      throw new ReplayError('too_many_replays', `${replays(running)} running, the most this server runs at once: ${advice}`, details);
    }
    if (ofFlow >= limits.perFlow) {
      throw new ReplayError('too_many_replays', `${replays(ofFlow, ` of flow "${flowId}"`)} running, the most it may run at once: ${advice}`, details);
    }
  }

  private saved(run: ReplayRun): SavedReplay {
    return { status: run.status(), request: run.request, effects: [...run.effects] };
  }

  private changed(id: string): void {
    const entry = this.active.get(id);
    if (!entry) return;
    const status = entry.run.status();
    if (status.state === 'running') entry.persist.push();
    for (const listener of entry.listeners) listener(status);
  }

  /** Saves the replay's current status after any save still under way, so the last one written is the newest. */
  private save(id: string): void {
    const entry = this.active.get(id);
    if (!entry) return;
    entry.saving = entry.saving
      .then(() => this.store.replays.save(toRecord(this.saved(entry.run), this.process)))
      .catch((error: unknown) => this.log('could not save a replay', { replayId: id, error: String(error) }));
  }

  /** Replays this process left running when it stopped: failed, interrupted by a restart. */
  private async recover(): Promise<void> {
    const now = new Date();
    // Runs before any replay starts here (`start` waits for it), so every running one is stale; each saved one
    // leaves the running list.
    for (;;) {
      const running = await this.store.replays.list({ state: 'running', process: this.process, limit: MAX_REPLAY_LIST_LIMIT });
      for (const record of running) await this.store.replays.save(interrupted(record, now));
      if (running.length < MAX_REPLAY_LIST_LIMIT) return;
    }
  }

  /** Resolves once every replay running here has ended and saved its last status (after a shutdown, interrupted). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.active.values()].map((entry) => entry.done));
  }

  private abortAll(): void {
    for (const { run } of this.active.values()) run.abort(INTERRUPTED);
  }

  private log(message: string, details: Record<string, unknown> = {}): void {
    this.options.log?.(message, details);
  }
}
