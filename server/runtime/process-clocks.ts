/**
 * The current vector clock of every logical process this runtime speaks for (`main`, `edge-1`, simulated
 * devices). Counters resume from the store after a restart, so a process's own entry only ever grows.
 *
 * In a cluster a flow's devices move with its lease: a run there gets clocks of its own (`forRun`), loaded from the
 * store when it starts, so a device another replica wrote to in the meantime goes on from that replica's last
 * counter; the replica's own process stays shared by every run.
 */
import { counterOf, tick, type VectorClock } from '../../shared/clock.js';
import { merge, receive } from '../clocks.js';
import type { EventStore } from '../store/index.js';

export class ProcessClocks {
  private readonly clocks = new Map<string, VectorClock>();
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Pick<EventStore, 'latestClock'>,
    /** The clocks that keep `shared.process` (the replica's own entry) for every run. */
    private readonly shared?: { clocks: ProcessClocks; process: string },
  ) {}

  /** Clocks for one run: its own for every process but `process`, which stays these. */
  forRun(process: string): ProcessClocks {
    return new ProcessClocks(this.store, { clocks: this, process });
  }

  /** Loads the process's last stored clock once; call before stamping for that process. */
  ensure(process: string): Promise<void> | undefined {
    if (this.shared?.process === process) return this.shared.clocks.ensure(process);
    if (this.clocks.has(process)) return undefined;
    let pending = this.loading.get(process);
    if (!pending) {
      pending = this.store.latestClock(process).then((clock) => {
        if (!this.clocks.has(process)) this.clocks.set(process, clock ?? {});
        this.loading.delete(process);
      });
      this.loading.set(process, pending);
    }
    return pending;
  }

  /**
   * Loads the clocks of all these processes; undefined when all are loaded already. Stamp only once it settles,
   * and stamp and append without a turn in between: then no other stamping on these processes comes between them,
   * and the store receives every process's events in the order of their counters.
   */
  ensureAll(processes: Iterable<string>): Promise<unknown> | undefined {
    let loading: Promise<void>[] | undefined;
    for (const process of processes) {
      const pending = this.ensure(process);
      if (pending) (loading ??= []).push(pending);
    }
    return loading && Promise.all(loading);
  }

  current(process: string): VectorClock {
    if (this.shared?.process === process) return this.shared.clocks.current(process);
    return this.clocks.get(process) ?? {};
  }

  /** A local event on `process`. */
  local(process: string): VectorClock {
    if (this.shared?.process === process) return this.shared.clocks.local(process);
    const next = tick(this.current(process), process);
    this.clocks.set(process, next);
    return next;
  }

  /** `process` receives an event stamped `clock`: merge, then tick. */
  receive(process: string, clock: VectorClock): VectorClock {
    if (this.shared?.process === process) return this.shared.clocks.receive(process, clock);
    const next = receive(this.current(process), clock, process);
    this.clocks.set(process, next);
    return next;
  }

  /**
   * Adopts a clock a device stamped itself when it moves the device's own counter forward; otherwise
   * the event is treated as received by the process (merge, then tick) so counters stay unique.
   */
  adoptOrReceive(process: string, clock: VectorClock): VectorClock {
    if (this.shared?.process === process) return this.shared.clocks.adoptOrReceive(process, clock);
    const known = this.current(process);
    if (counterOf(clock, process) > counterOf(known, process)) {
      const adopted = merge(known, clock);
      this.clocks.set(process, adopted);
      return clock;
    }
    return this.receive(process, clock);
  }
}
