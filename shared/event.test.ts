import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { typeMatches } from './event.js';

describe('event type patterns', () => {
  it('matches exactly without a wildcard, anything with "*", and any run of characters where "*" stands', () => {
    expect(typeMatches('reading.recorded', 'reading.recorded')).toBe(true);
    expect(typeMatches('reading.recorded', 'reading.recordedx')).toBe(false);
    expect(typeMatches('*', '')).toBe(true);
    expect(typeMatches('reading.*', 'reading.recorded')).toBe(true);
    expect(typeMatches('reading.*', 'readingXrecorded')).toBe(false);
    expect(typeMatches('*.alert', 'fridge.door.alert')).toBe(true);
    expect(typeMatches('a*b*c', 'abc')).toBe(true);
    expect(typeMatches('a*b*c', 'acb')).toBe(false);
  });

  it('treats regular-expression characters in a pattern literally', () => {
    expect(typeMatches('a+b.*', 'a+b.x')).toBe(true);
    expect(typeMatches('a+b.*', 'aab.x')).toBe(false);
    expect(typeMatches('(x)*', '(x)y')).toBe(true);
  });

  it('agrees with a split-and-search reference on random patterns, asked any number of times', () => {
    const reference = (pattern: string, type: string): boolean => {
      const parts = pattern.split('*');
      if (parts.length === 1) return pattern === type;
      const first = parts[0]!;
      const last = parts[parts.length - 1]!;
      if (!type.startsWith(first) || type.length < first.length + last.length || !type.endsWith(last)) return false;
      let at = first.length;
      const end = type.length - last.length;
      for (const middle of parts.slice(1, -1)) {
        const found = type.indexOf(middle, at);
        if (found < 0 || found + middle.length > end) return false;
        at = found + middle.length;
      }
      return true;
    };
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '.', '*', '+', '('), maxLength: 8 });
    fc.assert(
      fc.property(text, fc.string({ unit: fc.constantFrom('a', 'b', '.', '+', '('), maxLength: 10 }), (pattern, type) => {
        const expected = reference(pattern, type);
        expect(typeMatches(pattern, type)).toBe(expected);
        expect(typeMatches(pattern, type)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
