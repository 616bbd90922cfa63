import { describe, expect, it } from 'vitest';
import { interpolate, parseDotenv, requiredVariablesIn } from './compose-variables.js';

describe('reading a compose file as Compose would', () => {
  it('reads a .env file: comments skipped, quotes dropped', () => {
    expect(parseDotenv('# comment\nA=1\nB="two words"\n\nexport C=x=y\n')).toEqual({ A: '1', B: 'two words', C: 'x=y' });
  });

  it('interpolates values, defaults and dollars, and stops at a required variable without a value', () => {
    const vars = { A: 'a', EMPTY: '' };
    expect(interpolate('${A}/${EMPTY:-d}/${EMPTY-d}/${UNSET-u}/$${A}', vars)).toBe('a/d//u/${A}');
    expect(interpolate('${A:?set A}', vars)).toBe('a');
    expect(() => interpolate('${EMPTY:?set EMPTY first}', vars)).toThrow('EMPTY: set EMPTY first');
  });

  it('lists the variables a text requires', () => {
    expect([...requiredVariablesIn('${A:?x} ${B?y} ${C:-z} ${D}')]).toEqual(['A', 'B']);
  });
});
