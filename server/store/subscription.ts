/**
 * The subscription loop every adapter shares: read a page after the cursor, hand it over, wait for the handler,
 * repeat; when caught up, sleep until the adapter signals a commit (or a slow poll fires). The cursor only moves
 * past events that were handed over or that the adapter vouches did not match (`upTo`), so nothing is delivered
 * twice, out of order, or skipped.
 */
import type { StoredEvent } from '../../shared/event.js';
import { BATCH_SIZE, clampLimit } from './limits.js';
import type { SubscribeOptions, Subscription } from './types.js';

export interface Page {
  /** Matching events after the cursor, in position order. */
  events: StoredEvent[];
  /** Every matching event up to this position is in `events` (or was delivered before). */
  upTo: number;
}

export type PageReader = (after: number, limit: number) => Page | Promise<Page>;

/** A wake-up call for subscribers: the adapter emits after each commit. */
export class Signal {
  private listeners = new Set<() => void>();

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

export const POLL_MS = 1000;

export function startSubscription(
  options: SubscribeOptions,
  readPage: PageReader,
  commits: Signal,
  pollMs = POLL_MS,
  /** Called once when it closes, whether asked to or on an error. */
  onClose?: () => void,
): Subscription {
  const batchSize = Math.max(1, clampLimit(options.batchSize, BATCH_SIZE));
  let cursor = options.after;
  let closed = false;
  let committed = false;
  let wake: (() => void) | null = null;
  const stopListening = commits.listen(() => {
    committed = true;
    wake?.();
  });

  const close = () => {
    if (closed) return;
    closed = true;
    stopListening();
    onClose?.();
    wake?.();
  };

  const idle = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
      const timer = setTimeout(done, pollMs);
      timer.unref?.();
      wake = done;
    });

  const run = async () => {
    while (!closed) {
      committed = false;
      const page = await readPage(cursor, batchSize);
      if (closed) return;
      if (page.events.length > 0) await options.onEvents(page.events);
      cursor = Math.max(cursor, page.upTo, page.events.at(-1)?.position ?? 0);
      if (closed || page.events.length === batchSize || committed) continue;
      await idle();
    }
  };

  run().catch((error: unknown) => {
    if (closed) return; // a read cut short by closing is no failure
    close();
    if (options.onError) options.onError(error);
    else console.error('event store subscription stopped:', error);
  });
  return { close };
}

/** A page of `events` read after a cursor with `limit`, all matching events up to `head` considered. */
export function pageOf(events: StoredEvent[], limit: number, head: number): Page {
  return { events, upTo: events.length === limit ? events.at(-1)!.position : head };
}

/**
 * Starts a subscription and keeps it in `open` (so the store can close it on close) until it closes; `onClose` is
 * called then.
 */
export function trackedSubscription(
  open: Set<Subscription>,
  options: SubscribeOptions,
  readPage: PageReader,
  commits: Signal,
  onClose?: () => void,
): Subscription {
  const subscription = startSubscription(options, readPage, commits, POLL_MS, () => {
    open.delete(subscription);
    onClose?.();
  });
  open.add(subscription);
  return subscription;
}
