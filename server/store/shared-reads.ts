/**
 * Reads that callers asking the same thing at the same time share: the first call starts the read, the others that
 * come while it runs get its answer, and once it settles the next call reads again. A flow split into partitions has
 * a subscriber per partition, each following the same log from the same place, so after a commit they all ask for the
 * same page at once: one query serves them. Nothing is cached beyond the read in flight, so no answer is older than
 * the call's own read would have been by more than the time that read was already running — and a page read is
 * consistent in itself (it holds every matching event up to the position it states), whoever started it.
 */
export class SharedReads<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  /** `read()`'s answer, or the answer of the read of `key` already running. */
  get(key: string, read: () => Promise<T>): Promise<T> {
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = read().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** Reads running now (for tests and metrics). */
  get size(): number {
    return this.inFlight.size;
  }
}
