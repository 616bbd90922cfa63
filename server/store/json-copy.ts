/**
 * `JSON.parse(JSON.stringify(value))` without the text in between: the copy a store keeps of an event's data, so
 * that it reads back as the SQL adapters would return it and the caller's later changes do not reach it. Plain
 * objects, arrays, strings, finite numbers, booleans and null are copied directly; anything whose JSON form is
 * not itself (a Date, a class instance, a `toJSON`, a `__proto__` key, a very deep nesting) takes the JSON route.
 * A value with no JSON form (a BigInt, a cycle) throws as `JSON.stringify` does.
 */

/** Nesting below which values are copied directly; deeper ones take the JSON route. */
const MAX_DEPTH = 64;

/** Marks a value the direct copy does not handle. */
const ROUNDTRIP = Symbol('roundtrip');

export function jsonCopy<T>(value: T): T {
  const copied = copyValue(value, 0);
  if (copied !== ROUNDTRIP) return (copied === undefined ? null : copied) as T;
  return JSON.parse(JSON.stringify(value ?? null) ?? 'null') as T;
}

/** The copy, `undefined` where JSON leaves the value out, or ROUNDTRIP. */
function copyValue(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // JSON writes NaN and the infinities as null, and -0 as 0.
      return Number.isFinite(value) ? value + 0 : null;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      return ROUNDTRIP;
    case 'object':
      if (value === null) return null;
      if (depth >= MAX_DEPTH) return ROUNDTRIP;
      return Array.isArray(value) ? copyArray(value, depth + 1) : copyObject(value, depth + 1);
  }
  return ROUNDTRIP;
}

function copyArray(array: unknown[], depth: number): unknown[] | typeof ROUNDTRIP {
  if (Object.getPrototypeOf(array) !== Array.prototype) return ROUNDTRIP;
  const out = new Array<unknown>(array.length);
  for (let i = 0; i < array.length; i++) {
    const item = copyValue(array[i], depth);
    if (item === ROUNDTRIP) return ROUNDTRIP;
    out[i] = item === undefined ? null : item;
  }
  return out;
}

function copyObject(object: object, depth: number): Record<string, unknown> | typeof ROUNDTRIP {
  const proto = Object.getPrototypeOf(object);
  if ((proto !== Object.prototype && proto !== null) || 'toJSON' in object) return ROUNDTRIP;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    if (key === '__proto__') return ROUNDTRIP;
    const item = copyValue((object as Record<string, unknown>)[key], depth);
    if (item === ROUNDTRIP) return ROUNDTRIP;
    if (item !== undefined) out[key] = item;
  }
  return out;
}
