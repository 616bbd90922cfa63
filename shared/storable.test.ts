import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEPTH_LIMIT, NAME_LIMIT, nameProblem, pathStep, sourceProblem, textProblem, unstorableIn } from './storable.js';

describe('text every store keeps', () => {
  it('is Unicode without NUL: surrogate pairs pass, unpaired halves and NUL do not', () => {
    expect(textProblem('ÄΩ✓ 😀 \u0001 \\u0000')).toBeNull();
    expect(textProblem('a\u0000')).toBe('contains a NUL character (U+0000)');
    expect(textProblem('\uD83D')).toBe('contains an unpaired surrogate (U+D83D at index 0): not Unicode text');
    expect(textProblem('ok\uDE00\uD83D')).toBe('contains an unpaired surrogate (U+DE00 at index 2): not Unicode text');
    expect(textProblem('😀\uD83D')).toMatch(/U\+D83D at index 2/);
  });

  it('agrees with a UTF-8 round trip: text passes exactly when encoding it changes nothing and it has no NUL', () => {
    const roundTrips = (s: string) => Buffer.from(s, 'utf8').toString('utf8') === s;
    // UTF-16 code units, surrogates and NUL among them often.
    const unit = fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0xd7f0, max: 0xe010 }), fc.integer({ min: 0, max: 0xffff })).map((n) => String.fromCharCode(n));
    fc.assert(fc.property(fc.string({ unit }), (s) => (textProblem(s) === null) === (roundTrips(s) && !s.includes('\u0000'))), { numRuns: 1000 });
  });

  it('limits names to NAME_LIMIT characters', () => {
    expect(nameProblem('n'.repeat(NAME_LIMIT))).toBeNull();
    expect(nameProblem('n'.repeat(NAME_LIMIT + 1))).toBe(`is longer than ${NAME_LIMIT} characters`);
  });
});

describe('JSON every store keeps', () => {
  it('names the path to the first problem, keys as JSON when they are not plain', () => {
    expect(unstorableIn({ a: [1, { b: 'x\u0000' }] }, 'data')).toEqual({ path: 'data.a.1.b', problem: 'contains a NUL character (U+0000)' });
    expect(unstorableIn({ 'a b': { '\u0000': 1 } }, 'metadata')).toEqual({ path: 'metadata["a b"]["\\u0000"]', problem: 'its name contains a NUL character (U+0000)' });
    expect(unstorableIn({ toJSON: () => ({ v: '\uD800' }) }, 'data')).toMatchObject({ path: 'data.v' });
    expect(unstorableIn({ when: new Date(0), n: 1, nothing: null, list: [] }, 'data')).toBeNull();
  });

  it('counts nesting as JSON does: DEPTH_LIMIT levels pass, one more does not', () => {
    const nested = (levels: number) => {
      let value: unknown = 0;
      for (let i = 0; i < levels; i++) value = { v: value };
      return value;
    };
    expect(unstorableIn(nested(DEPTH_LIMIT), 'data')).toBeNull();
    expect(unstorableIn(nested(DEPTH_LIMIT + 1), 'data')).toMatchObject({ problem: `nests deeper than ${DEPTH_LIMIT} levels` });
  });

  it('writes a path step that is itself storable text, however odd the key', () => {
    expect(pathStep('name')).toBe('.name');
    expect(pathStep('a.b')).toBe('["a.b"]');
    expect(textProblem(pathStep('\uD800\u0000'))).toBeNull();
    expect(pathStep('k'.repeat(100))).toBe(`["${'k'.repeat(64)}…"]`);
  });
});

describe('sourceProblem', () => {
  it('counts the source in UTF-8 bytes: 1,024 fit, one more does not, a surrogate pair is four', () => {
    expect(sourceProblem('a'.repeat(1024))).toBeNull();
    expect(sourceProblem('a'.repeat(1025))).toBe('is 1025 bytes as UTF-8, longer than 1024');
    expect(sourceProblem('\u{1F600}'.repeat(256))).toBeNull();
    expect(sourceProblem(`${'\u{1F600}'.repeat(256)}a`)).toBe('is 1025 bytes as UTF-8, longer than 1024');
    expect(sourceProblem('é'.repeat(512))).toBeNull();
    expect(sourceProblem('test://\u0000')).toBe('contains a NUL character (U+0000)');
  });
});

describe('how much one JSON value may hold', () => {
  it('refuses more than SIZE_LIMIT of text at the value itself, however it is spread', () => {
    const mib = 'x'.repeat(1024 * 1024);
    expect(unstorableIn({ a: mib, b: mib }, 'data')).toBeNull();
    expect(unstorableIn(Array.from({ length: 9 }, () => mib), 'data')).toEqual({ path: 'data', problem: 'holds more than 8 MiB of JSON' });
    expect(unstorableIn({ deep: { list: Array.from({ length: 9 }, () => ({ s: mib })) } }, 'data')).toEqual({ path: 'data', problem: 'holds more than 8 MiB of JSON' });
    // Each walk starts with the whole budget.
    expect(unstorableIn({ a: mib }, 'data')).toBeNull();
  });
});
