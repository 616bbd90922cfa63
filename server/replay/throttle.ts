/**
 * At most one call per interval, always ending on the latest value: a value pushed within the interval waits
 * for its end, and a newer one pushed meanwhile replaces it.
 */
export interface Throttle<T> {
  push(value: T): void;
  /** Drops a waiting value; nothing is sent after this. */
  cancel(): void;
}

export function throttleLatest<T>(send: (value: T) => void, intervalMs: number, now: () => number = Date.now): Throttle<T> {
  let last = -Infinity;
  let waiting: { value: T } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let cancelled = false;

  const fire = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!waiting || cancelled) return;
    const { value } = waiting;
    waiting = null;
    last = now();
    send(value);
  };

  return {
    push(value) {
      if (cancelled) return;
      waiting = { value };
      const wait = last + intervalMs - now();
      if (wait <= 0) fire();
      else timer ??= setTimeout(fire, wait);
    },
    cancel() {
      cancelled = true;
      waiting = null;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
