/**
 * Vector clocks: `Record<process, counter>`. A process missing from a clock counts as 0 (the textbook
 * definition; ShiViz instead treats a missing host as "not comparable").
 *
 * Process names are user input, and some are names every object inherits (`constructor`, `toString`, `__proto__`):
 * a clock is read only by its own entries (`counterOf`), and `__proto__` is written as an own entry. Clocks stay
 * plain objects, not null-prototype ones or Maps: they cross the wire as JSON objects, and V8 compares plain
 * objects two to three times faster.
 *
 * All functions are pure and never mutate their arguments.
 */
export type VectorClock = Readonly<Record<string, number>>;

export type Order = 'before' | 'after' | 'equal' | 'concurrent';

/**
 * The counter of `process` in `clock`, 0 when the clock has no entry for it. Entries are numbers, so an inherited
 * member (a function, or the prototype for `__proto__`) is never taken for one.
 */
export function counterOf(clock: VectorClock, process: string): number {
  const n = clock[process];
  return typeof n === 'number' ? n : 0;
}

/** Sets an own entry: assigning `__proto__` would set the object's prototype (or, for a number, do nothing). */
function setCounter(out: Record<string, number>, process: string, n: number): void {
  if (process === '__proto__') Object.defineProperty(out, process, { value: n, writable: true, enumerable: true, configurable: true });
  else out[process] = n;
}

/** A local event on `process`: its own entry goes up by one, every other entry stays. */
export function tick(clock: VectorClock, process: string): VectorClock {
  // A computed key in a literal defines an own entry, `__proto__` included.
  return { ...clock, [process]: counterOf(clock, process) + 1 };
}

/** The pointwise maximum of two clocks. */
export function merge(a: VectorClock, b: VectorClock): VectorClock {
  return mergeInto({ ...a }, b);
}

/** Raises `out`'s entries to `b`'s where `b`'s are higher; returns `out`. */
function mergeInto(out: Record<string, number>, b: VectorClock): Record<string, number> {
  for (const p in b) {
    const n = b[p]!;
    if (n > counterOf(out, p)) setCounter(out, p, n);
  }
  return out;
}

/** Receiving an event stamped `received` on `process`: merge, then tick (one new clock, not two). */
export function receive(local: VectorClock, received: VectorClock, process: string): VectorClock {
  const out = mergeInto({ ...local }, received);
  setCounter(out, process, counterOf(out, process) + 1);
  return out;
}

/** How `a` stands to `b`: `before` means a happened before b. */
export function compare(a: VectorClock, b: VectorClock): Order {
  let aLess = false;
  let bLess = false;
  for (const p in a) {
    const x = counterOf(a, p);
    const y = counterOf(b, p);
    if (x < y) aLess = true;
    else if (x > y) bLess = true;
  }
  for (const p in b) {
    if (typeof a[p] === 'number') continue; // compared above
    const y = b[p]!;
    if (y > 0) aLess = true;
    else if (y < 0) bLess = true;
  }
  if (aLess && bLess) return 'concurrent';
  if (aLess) return 'before';
  if (bLess) return 'after';
  return 'equal';
}

/** `a → b`: a ≤ b pointwise and a ≠ b. */
export function happenedBefore(a: VectorClock, b: VectorClock): boolean {
  return compare(a, b) === 'before';
}

export function concurrent(a: VectorClock, b: VectorClock): boolean {
  return compare(a, b) === 'concurrent';
}

/** The clock without zero entries, keys sorted: equal clocks get equal forms. */
export function normalize(clock: VectorClock): VectorClock {
  const out: Record<string, number> = {};
  for (const p of Object.keys(clock).sort()) {
    const n = counterOf(clock, p);
    if (n !== 0) setCounter(out, p, n);
  }
  return out;
}

/** Stable serialisation: keys sorted, zero entries dropped, so equal clocks serialise equally. */
export function serialize(clock: VectorClock): string {
  return JSON.stringify(normalize(clock));
}

export function isValidClock(value: unknown): value is VectorClock {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const process in value) {
    if (!Object.hasOwn(value, process)) continue;
    const n = (value as Record<string, unknown>)[process];
    if (!Number.isSafeInteger(n) || (n as number) < 0) return false;
  }
  return true;
}
