import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonCopy } from './json-copy.js';

const viaText = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null) ?? 'null');


class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe('jsonCopy', () => {
  it('gives what a JSON round trip gives, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonCopy(value)).toStrictEqual(viaText(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives what a JSON round trip gives, for values JSON changes or drops', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withObjectString: true }),
        (value) => {
          let expected: unknown;
          try {
            expected = viaText(value);
          } catch (error) {
            expect(() => jsonCopy(value)).toThrow((error as Error).constructor as ErrorConstructor);
            return;
          }
          const copied = jsonCopy(value);
          expect(JSON.stringify(copied)).toBe(JSON.stringify(expected));
          expect(copied).toStrictEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('writes NaN, the infinities and holes as null, -0 as 0, and leaves undefined and functions out', () => {
    const holey: unknown[] = [undefined];
    holey[2] = 1;
    const copied = jsonCopy({ a: NaN, b: Infinity, c: -0, d: undefined, e: () => 1, f: holey, g: Symbol('s') });
    expect(copied).toStrictEqual({ a: null, b: null, c: 0, f: [null, null, 1] });
    expect(Object.is((copied as { c: number }).c, 0)).toBe(true);
    expect(jsonCopy(undefined)).toBeNull();
  });

  it('takes the JSON route for dates, class instances, toJSON and a __proto__ key', () => {
    const date = new Date(Date.UTC(2026, 0, 2));
    expect(jsonCopy({ at: date })).toStrictEqual({ at: '2026-01-02T00:00:00.000Z' });
    expect(jsonCopy(new Point(1, 2))).toStrictEqual({ x: 1, y: 2 });
    expect(Object.getPrototypeOf(jsonCopy(new Point(1, 2)))).toBe(Object.prototype);
    expect(jsonCopy({ v: { toJSON: () => 'shown' } })).toStrictEqual({ v: 'shown' });
    const proto = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const copied = jsonCopy(proto) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copied)).toBe(Object.prototype);
    expect(Object.keys(copied)).toEqual(['__proto__']);
  });

  it('does not share anything with the original', () => {
    const original = { a: { b: [1, { c: 2 }] } };
    const copied = jsonCopy(original);
    original.a.b.push(3);
    (original.a.b[1] as { c: number }).c = 9;
    expect(copied).toStrictEqual({ a: { b: [1, { c: 2 }] } });
  });

  it('copies deep nesting, and refuses a cycle and a BigInt as JSON does', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 500; i++) deep = { d: deep };
    expect(jsonCopy(deep)).toStrictEqual(viaText(deep));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => jsonCopy(cyclic)).toThrow(TypeError);
    expect(() => jsonCopy({ n: 1n })).toThrow(TypeError);
  });
});
