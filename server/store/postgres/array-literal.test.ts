import { describe, expect, it } from 'vitest';
import { arrayLiteral } from './array-literal.js';

describe('array literals', () => {
  it('quotes every text, escapes quotes and backslashes, and writes nulls, numbers and booleans bare', () => {
    expect(arrayLiteral(['a', '', 'NULL', 'x,y {z}', 'say "hi"', 'back\\slash', null, undefined])).toBe(
      '{"a","","NULL","x,y {z}","say \\"hi\\"","back\\\\slash",NULL,NULL}',
    );
    expect(arrayLiteral([1, 2.5, -3, true, false])).toBe('{1,2.5,-3,true,false}');
    expect(arrayLiteral([])).toBe('{}');
  });
});
