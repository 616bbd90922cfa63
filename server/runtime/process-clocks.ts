/**
 * The current vector clock of every logical process this runtime speaks for (`main`, `edge-1`, simulated
 * devices). Counters resume from the store after a restart, so a process's own entry only ever grows.
 */
import { counterOf, tick, type VectorClock } from '../../shared/clock.js';
import { merge, receive } from '../clocks.js';
import type { EventStore } from '../store/index.js';

export class ProcessClocks {
  private readonly clocks = new Map<string, VectorClock>();
  private readonly loading = new Map<string, Promise<void>>();

  constructor(private readonly store: Pick<EventStore, 'latestClock'>) {}

  /** Loads the process's last stored clock once; call before stamping for that process. */
  ensure(process: string): Promise<void> | undefined {
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
    return this.clocks.get(process) ?? {};
  }

  /** A local event on `process`. */
  local(process: string): VectorClock {
    const next = tick(this.current(process), process);
    this.clocks.set(process, next);
    return next;
  }

  /** `process` receives an event stamped `clock`: merge, then tick. */
  receive(process: string, clock: VectorClock): VectorClock {
    const next = receive(this.current(process), clock, process);
    this.clocks.set(process, next);
    return next;
  }

  /**
   * Adopts a clock a device stamped itself when it moves the device's own counter forward; otherwise
   * the event is treated as received by the process (merge, then tick) so counters stay unique.
   */
  adoptOrReceive(process: string, clock: VectorClock): VectorClock {
    const known = this.current(process);
    if (counterOf(clock, process) > counterOf(known, process)) {
      const adopted = merge(known, clock);
      this.clocks.set(process, adopted);
      return clock;
    }
    return this.receive(process, clock);
  }
}
