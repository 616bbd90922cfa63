/**
 * Backpressure at a flow's door. The flow lags by the distance from its checkpoint to the store's head (the highest
 * position this process saw appended or dispatched); while it lags more than `maxLag` positions, and is open, input
 * waits. Waiters re-check whenever they are woken (the checkpoint may have moved: after a dispatch, after a save)
 * and at least every 50 ms; a drain wakes them all, so nothing waits on a flow that is going away.
 */

/** How often a waiter re-checks the lag without being woken. */
const RECHECK_MS = 50;

export class Admission {
  private head = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly maxLag: number,
    /** The flow's checkpoint now. */
    private readonly checkpoint: () => number,
    /** Whether the flow takes input at all: a closed one holds nothing back. */
    private readonly open: () => boolean,
  ) {}

  /** The store's head moved (any append in this process, or a dispatched event). */
  noteHead(position: number): void {
    if (position > this.head) this.head = position;
  }

  get lag(): number {
    return Math.max(0, this.head - this.checkpoint());
  }

  /** Whether input must wait: the flow is open and more than `maxLag` positions behind the store. */
  get behind(): boolean {
    return this.open() && this.lag > this.maxLag;
  }

  /** Waits while the flow is behind. */
  async admit(): Promise<void> {
    while (this.behind) {
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, RECHECK_MS);
      });
    }
  }

  /** The checkpoint may have moved: waiters re-check if the lag is within bounds. */
  wake(): void {
    if (this.lag <= this.maxLag) this.wakeAll();
  }

  /** Every waiter re-checks now (the flow is closing). */
  wakeAll(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
