import { describe, expect, it } from 'vitest';
import { jsonataSyntaxError } from './jsonata-syntax.js';

describe('jsonataSyntaxError', () => {
  it('accepts an expression that parses, and an empty one is not a syntax error of its own', () => {
    expect(jsonataSyntaxError('data.t > 8 and $sum(data.v) < 3')).toBeNull();
  });

  it('points at the start of the offending token, with the parser’s position and code in the message', () => {
    expect(jsonataSyntaxError('foo bar')).toEqual({ message: 'JSONata syntax error at position 7 (S0201): Syntax error: "bar"', at: { line: 1, column: 5 }, offset: 4 });
  });

  it('points at the end of an expression cut short', () => {
    expect(jsonataSyntaxError('data.t >')).toMatchObject({ message: 'JSONata syntax error at position 8 (S0207): Unexpected end of expression', offset: 8, at: { line: 1, column: 9 } });
  });

  it('gives line and column in a multi-line expression, in the message and as a place', () => {
    const error = jsonataSyntaxError('{\n  "a": data.t,\n  "b": }');
    expect(error?.at).toEqual({ line: 3, column: 8 });
    expect(error?.message).toContain('(line 3, column 8)');
  });
});
