/**
 * How far the dispatcher has followed the log, against how far the flow's own appends reach. Every event a node
 * emits is appended first and reaches its consumers through the log, so a draining flow is quiet only once the
 * dispatcher has passed the highest position its own nodes appended — or once an outside input froze it, as that
 * input and all after it belong to the next start. If the log stops bringing anything for `stallMs`, the drain stops
 * waiting: the checkpoint leaves the rest to the next start.
 */

/** How long a drain waits for the log to bring back its own events while nothing arrives. */
const SETTLE_STALL_MS = 10_000;
/** How often a settling drain looks again without being woken. */
const RECHECK_MS = 100;

/** The steps of settling that belong to the flow. */
export interface Quieting {
  /** Emits what nodes hold (a batch) now. */
  flush(): Promise<void>;
  /** A node stalled: its inputs stay held, so the flow will never be idle. */
  failed(): boolean;
  /** Waits for every source append in flight and every held input. */
  inFlight(): Promise<void>;
  /** An outside input arrived while draining: dispatch stopped there. */
  frozen(): boolean;
  log(message: string, details: Record<string, unknown>): void;
}

export class LogFollower {
  /** Highest position this flow's own nodes appended. */
  private ownHead = 0;
  private lastDispatched: number;
  private waiters: (() => void)[] = [];

  constructor(dispatchedFrom: number) {
    this.lastDispatched = dispatchedFrom;
  }

  /** The flow appended these events; answers the highest position it has appended. */
  appended(events: readonly { position: number }[]): number {
    for (let i = 0; i < events.length; i++) if (events[i]!.position > this.ownHead) this.ownHead = events[i]!.position;
    return this.ownHead;
  }

  /** The dispatcher is done with the event at `position`. */
  dispatched(position: number): void {
    this.lastDispatched = position;
  }

  /** A batch of the log is dispatched: a settling drain looks again. */
  wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Until quiet: see the header. */
  async settle(flow: Quieting, stallMs = SETTLE_STALL_MS): Promise<void> {
    let stalledSince = Date.now();
    for (;;) {
      await flow.flush();
      if (flow.failed()) return;
      await flow.inFlight();
      if (flow.frozen() || this.lastDispatched >= this.ownHead) return;
      const before = this.lastDispatched;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, RECHECK_MS);
      });
      if (this.lastDispatched !== before) stalledSince = Date.now();
      else if (Date.now() - stalledSince > stallMs) {
        flow.log('drain stopped waiting for the log', { dispatched: this.lastDispatched, appended: this.ownHead });
        return;
      }
    }
  }
}
