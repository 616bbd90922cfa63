import { describe, expect, it } from 'vitest';
import { highlightOf } from './highlight.js';

describe('the search matches as the diagram rings them', () => {
  it('marks the loaded events of every match, and those of the current match apart', () => {
    const positions = [10, 11, 12, 13, 14];
    expect([...highlightOf(positions, [[10, 12], [13, 99]], 1)!]).toEqual([1, 0, 1, 2, 0]);
    expect([...highlightOf(positions, [], 0)!]).toEqual([0, 0, 0, 0, 0]);
  });

  it('is null when nothing is searched', () => {
    expect(highlightOf([1, 2], null, 0)).toBeNull();
  });
});
