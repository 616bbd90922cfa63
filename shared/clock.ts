/**
 * Vector clocks: `Record<process, counter>`. A process missing from a clock counts as 0 (the textbook
 * definition; ShiViz instead treats a missing host as "not comparable").
 *
 * All functions are pure and never mutate their arguments.
 */
export type VectorClock = Readonly<Record<string, number>>;

export type Order = 'before' | 'after' | 'equal' | 'concurrent';

/** A local event on `process`: its own entry goes up by one, every other entry stays. */
export function tick(clock: VectorClock, process: string): VectorClock {
  return { ...clock, [process]: (clock[process] ?? 0) + 1 };
}

/** The pointwise maximum of two clocks. */
export function merge(a: VectorClock, b: VectorClock): VectorClock {
  return mergeInto({ ...a }, b);
}

/** Raises `out`'s entries to `b`'s where `b`'s are higher; returns `out`. */
function mergeInto(out: Record<string, number>, b: VectorClock): Record<string, number> {
  for (const p in b) {
    const n = b[p]!;
    if (n > (out[p] ?? 0)) out[p] = n;
  }
  return out;
}

/** Receiving an event stamped `received` on `process`: merge, then tick (one new clock, not two). */
export function receive(local: VectorClock, received: VectorClock, process: string): VectorClock {
  const out = mergeInto({ ...local }, received);
  out[process] = (out[process] ?? 0) + 1;
  return out;
}

/** How `a` stands to `b`: `before` means a happened before b. */
export function compare(a: VectorClock, b: VectorClock): Order {
  let aLess = false;
  let bLess = false;
  for (const p in a) {
    const x = a[p] ?? 0;
    const y = b[p] ?? 0;
    if (x < y) aLess = true;
    else if (x > y) bLess = true;
  }
  for (const p in b) {
    if (p in a) continue;
    const y = b[p] ?? 0;
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
    const n = clock[p] ?? 0;
    if (n !== 0) out[p] = n;
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
