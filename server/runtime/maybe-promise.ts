/**
 * A value, or a promise of it when it had to wait. The hot path (mailboxes, clocks, expressions) returns a plain
 * value when it can, to save a turn of the event loop per event; `andThen` chains without making a promise when
 * none is needed.
 */
export type MaybePromise<T> = T | Promise<T>;

/** Applies `f` to a value at once, or to a promise's value once it resolves: no promise when none is needed. */
export function andThen<T, R>(value: MaybePromise<T>, f: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}
