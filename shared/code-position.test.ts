import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineColumnAt, offsetAt, rangeAt } from './code-position.js';

describe('places in code', () => {
  const text = 'const a = 1;\nlet b = a b;\nreturn b;';

  it('counts lines and columns from 1', () => {
    expect(lineColumnAt(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt(text, text.indexOf('b ='))).toEqual({ line: 2, column: 5 });
    expect(lineColumnAt(text, text.length)).toEqual({ line: 3, column: 10 });
  });

  it('finds the offset of a line and column, clamping a place past the end of its line', () => {
    expect(offsetAt(text, { line: 2, column: 11 })).toBe(text.indexOf('b;', 18));
    expect(offsetAt(text, { line: 1, column: 99 })).toBe(12);
    expect(offsetAt(text, { line: 9, column: 1 })).toBe(text.lastIndexOf('\n') + 1);
  });

  it('goes from offset to line and column and back to the same offset', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\n', '{') }), fc.nat(), (source, n) => {
        const offset = n % (source.length + 1);
        expect(offsetAt(source, lineColumnAt(source, offset))).toBe(offset);
      }),
    );
  });

  it('underlines the word at an error, one character of punctuation, or the last character at the end', () => {
    expect(rangeAt('foo bar', 4)).toEqual({ from: 4, to: 7 });
    expect(rangeAt('a + )', 4)).toEqual({ from: 4, to: 5 });
    expect(rangeAt('data.t >', 8)).toEqual({ from: 7, to: 8 });
    expect(rangeAt('', 0)).toEqual({ from: 0, to: 0 });
  });
});
