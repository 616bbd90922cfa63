/**
 * A bounded FIFO between a sender and one worker. `push` waits while the mailbox is full, which is how
 * backpressure travels upstream: a slow node slows the nodes feeding it, then the dispatcher, then the sources.
 */
export class Mailbox<T> {
  private items: T[] = [];
  private head = 0;
  private closed = false;
  private readonly pushers: (() => void)[] = [];
  private taker: (() => void) | undefined;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.items.length - this.head;
  }

  /** Adds the item at once when there is room (no promise), or waits for room; throws once closed. */
  push(item: T): void | Promise<void> {
    if (this.size >= this.capacity && !this.closed) return this.pushWhenRoom(item);
    this.add(item);
  }

  private async pushWhenRoom(item: T): Promise<void> {
    while (this.size >= this.capacity && !this.closed) {
      await new Promise<void>((resolve) => this.pushers.push(resolve));
    }
    this.add(item);
  }

  private add(item: T): void {
    if (this.closed) throw new Error('mailbox closed');
    this.items.push(item);
    this.wakeTaker();
  }

  /** Up to `max` items, waiting for at least one; `null` once closed and empty. */
  async take(max: number): Promise<T[] | null> {
    while (this.size === 0) {
      if (this.closed) return null;
      await new Promise<void>((resolve) => (this.taker = resolve));
    }
    const end = Math.min(this.items.length, this.head + max);
    const out = this.items.slice(this.head, end);
    this.head = end;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    for (let free = this.capacity - this.size; free > 0 && this.pushers.length > 0; free--) this.pushers.shift()!();
    return out;
  }

  /** No more pushes; the worker drains what is in and then gets `null`. */
  close(): void {
    this.closed = true;
    this.wakeTaker();
    for (const p of this.pushers.splice(0)) p();
  }

  private wakeTaker(): void {
    const t = this.taker;
    this.taker = undefined;
    t?.();
  }
}
