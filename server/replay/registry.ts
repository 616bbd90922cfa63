/**
 * The replays of this server process: started in the background, looked up by id. Their events stay in the
 * store's replay namespaces; the registry keeps their status and recorded effects in memory.
 */
import { randomUUID } from 'node:crypto';
import type { Flow } from '../../shared/flow.js';
import type { EventStore } from '../store/types.js';
import { ReplayRun, type ReplayRequest, type ReplayStatus, type ReplayTiming } from './run.js';

export class ReplayRegistry {
  private readonly runs = new Map<string, { run: ReplayRun; done: Promise<ReplayStatus> }>();

  constructor(
    private readonly store: EventStore,
    private readonly timing?: ReplayTiming,
  ) {}

  /** Starts a replay of `flow` (the revision to run) and returns at once. */
  start(request: ReplayRequest, flow: Flow): ReplayRun {
    const run = new ReplayRun(randomUUID(), request, this.store, this.timing);
    this.runs.set(run.id, { run, done: run.run(flow) });
    return run;
  }

  get(id: string): ReplayRun | null {
    return this.runs.get(id)?.run ?? null;
  }

  /** Resolves when the replay has finished (tests, benchmarks). */
  finished(id: string): Promise<ReplayStatus> | null {
    return this.runs.get(id)?.done ?? null;
  }

  list(): ReplayStatus[] {
    return [...this.runs.values()].map(({ run }) => run.status());
  }

  /** Waits for every running replay (shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.runs.values()].map((r) => r.done));
  }
}
