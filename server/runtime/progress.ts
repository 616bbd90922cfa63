/**
 * Which dispatched positions are fully handled. Each position is opened once per holder (the dispatcher, each
 * node it reaches, a batch that holds it) and closed when that holder is done. The checkpoint is the highest
 * position such that it and every position dispatched before it are closed: after a restart, processing
 * resumes after it.
 */
export class Progress {
  private readonly open = new Map<number, number>();
  private order: number[] = [];
  private next = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private current: number) {}

  get checkpoint(): number {
    return this.current;
  }

  get inFlight(): number {
    return this.open.size;
  }

  hold(position: number): void {
    const n = this.open.get(position);
    if (n === undefined) {
      if (position <= this.current) throw new Error(`position ${position} is at or below the checkpoint ${this.current}`);
      this.order.push(position);
      this.open.set(position, 1);
    } else {
      this.open.set(position, n + 1);
    }
  }

  release(position: number): void {
    const n = this.open.get(position);
    if (n === undefined || n === 0) throw new Error(`position ${position} released more often than held`);
    this.open.set(position, n - 1);
    if (n === 1) this.advance();
  }

  /** Resolves when nothing is held. */
  idle(): Promise<void> {
    if (this.open.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private advance(): void {
    while (this.next < this.order.length) {
      const position = this.order[this.next]!;
      if (this.open.get(position) !== 0) break;
      this.open.delete(position);
      this.current = position;
      this.next++;
    }
    if (this.next > 4096) {
      this.order = this.order.slice(this.next);
      this.next = 0;
    }
    if (this.open.size === 0) for (const w of this.idleWaiters.splice(0)) w();
  }
}
