import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, concurrent, counterOf, happenedBefore, isValidClock, merge, normalize, receive, serialize, tick, type VectorClock } from './clock.js';

/** Process names that are also members every object inherits: a clock must read only its own entries. */
const OBJECT_MEMBERS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
const processes = fc.constantFrom('a', 'b', 'c', 'd', 'sensor-7', 'main', ...OBJECT_MEMBERS);
// Object.fromEntries makes `__proto__` an own entry, as JSON.parse does.
const clock: fc.Arbitrary<VectorClock> = fc.array(fc.tuple(processes, fc.nat({ max: 20 }))).map((entries) => Object.fromEntries(entries));
const equalClocks = (a: VectorClock, b: VectorClock) => serialize(a) === serialize(b);

describe('vector clock laws', () => {
  it('merge is commutative', () => {
    fc.assert(fc.property(clock, clock, (a, b) => equalClocks(merge(a, b), merge(b, a))));
  });

  it('merge is associative', () => {
    fc.assert(fc.property(clock, clock, clock, (a, b, c) => equalClocks(merge(merge(a, b), c), merge(a, merge(b, c)))));
  });

  it('merge is idempotent', () => {
    fc.assert(fc.property(clock, (a) => equalClocks(merge(a, a), a)));
  });

  it('merge is an upper bound of both inputs', () => {
    fc.assert(
      fc.property(clock, clock, (a, b) => {
        const m = merge(a, b);
        return ['equal', 'after'].includes(compare(m, a)) && ['equal', 'after'].includes(compare(m, b));
      }),
    );
  });

  it('happened-before is irreflexive', () => {
    fc.assert(fc.property(clock, (a) => !happenedBefore(a, a)));
  });

  it('happened-before is transitive', () => {
    // Build b and c above a so that the premise holds often enough to matter.
    fc.assert(
      fc.property(clock, clock, clock, (a, x, y) => {
        const b = merge(a, x);
        const c = merge(b, y);
        if (happenedBefore(a, b) && happenedBefore(b, c)) return happenedBefore(a, c);
        return true;
      }),
    );
    fc.assert(
      fc.property(clock, clock, clock, (a, b, c) => !(happenedBefore(a, b) && happenedBefore(b, c)) || happenedBefore(a, c)),
    );
  });

  it('compare is antisymmetric', () => {
    const flip = { before: 'after', after: 'before', equal: 'equal', concurrent: 'concurrent' } as const;
    fc.assert(fc.property(clock, clock, (a, b) => compare(b, a) === flip[compare(a, b)]));
  });

  it('compare says equal exactly when the clocks are equal (missing entries count as 0)', () => {
    fc.assert(fc.property(clock, clock, (a, b) => (compare(a, b) === 'equal') === equalClocks(a, b)));
    expect(compare({ a: 1, b: 0 }, { a: 1 })).toBe('equal');
  });

  it('tick strictly increases the own entry and only it', () => {
    fc.assert(
      fc.property(clock, processes, (a, p) => {
        const t = tick(a, p);
        if (counterOf(t, p) !== counterOf(a, p) + 1 || !Object.hasOwn(t, p)) return false;
        const others = new Set([...Object.keys(a), ...Object.keys(t)].filter((q) => q !== p));
        return [...others].every((q) => counterOf(t, q) === counterOf(a, q)) && happenedBefore(a, t);
      }),
    );
  });

  it('a received event happened before the receive', () => {
    fc.assert(fc.property(clock, clock, processes, (local, sent, p) => happenedBefore(sent, receive(local, sent, p))));
  });

  it('does not mutate its arguments', () => {
    const a = Object.freeze({ a: 1 });
    const b = Object.freeze({ b: 2 });
    expect(merge(a, b)).toEqual({ a: 1, b: 2 });
    expect(tick(a, 'a')).toEqual({ a: 2 });
    expect(a).toEqual({ a: 1 });
  });
});

describe('process names that objects inherit as members', () => {
  it.each(OBJECT_MEMBERS)('counts a process named %s as any other: its own entry, never the inherited member', (name) => {
    expect(counterOf({}, name)).toBe(0);
    const first = tick({}, name);
    expect(Object.entries(first)).toEqual([[name, 1]]);
    const second = tick(first, name);
    expect(counterOf(second, name)).toBe(2);
    const other = tick({}, 'sensor-1');
    const received = receive(second, other, name);
    expect(Object.entries(received).sort()).toEqual([[name, 3], ['sensor-1', 1]].sort());
    expect(Object.entries(merge(other, first)).sort()).toEqual([[name, 1], ['sensor-1', 1]].sort());
    expect(compare(first, second)).toBe('before');
    expect(compare({}, first)).toBe('before');
    expect(compare(first, {})).toBe('after');
    expect(compare(first, other)).toBe('concurrent');
    expect(compare(other, received)).toBe('before');
    expect(serialize(received)).toBe(JSON.stringify(Object.fromEntries([[name, 3], ['sensor-1', 1]].sort())));
    const stored = JSON.parse(JSON.stringify(received)) as VectorClock;
    expect(isValidClock(stored)).toBe(true);
    expect(compare(stored, received)).toBe('equal');
  });

  it('keeps an inherited member out of a clock that has no such entry', () => {
    expect(isValidClock({})).toBe(true);
    expect(normalize({ a: 1 })).toEqual({ a: 1 });
    expect(Object.keys(receive({ a: 1 }, { b: 2 }, 'c')).sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('vector clock order', () => {
  it('orders a send before its receipt and keeps independent events concurrent', () => {
    const s1 = tick({}, 'sensor-1');
    const s2 = tick({}, 'sensor-2');
    const r = receive(tick({}, 'main'), s1, 'main');
    expect(compare(s1, r)).toBe('before');
    expect(compare(r, s1)).toBe('after');
    expect(concurrent(s1, s2)).toBe(true);
    expect(concurrent(s2, r)).toBe(true);
  });
});

describe('vector clock serialisation', () => {
  it('is stable: equal clocks serialise to the same text whatever their key order or zero entries', () => {
    expect(serialize({ b: 2, a: 1, c: 0 })).toBe('{"a":1,"b":2}');
    fc.assert(
      fc.property(clock, (a) => {
        const reversed = Object.fromEntries(Object.entries(a).reverse());
        return serialize(reversed) === serialize(a) && equalClocks(JSON.parse(serialize(a)), a);
      }),
    );
  });

  it('normalize drops zeros and sorts keys', () => {
    expect(Object.keys(normalize({ z: 1, a: 0, m: 3 }))).toEqual(['m', 'z']);
  });
});
