import { describe, expect, it } from 'vitest';
import { chooseNearest, firstTake } from './nearest.js';

describe('choosing the events of a cone nearest by position', () => {
  it('reads each range twice its share of the limit at first, at least 8 and at most the limit', () => {
    expect(firstTake(16, 1000)).toBe(125);
    expect(firstTake(3, 30)).toBe(20);
    expect(firstTake(100, 50)).toBe(8);
    expect(firstTake(1, 1000)).toBe(1000);
    expect(firstTake(4, 3)).toBe(3);
  });

  it('takes the newest positions of everything read when each range was read to its end', () => {
    const choice = chooseNearest(
      [
        { positions: [9, 4], take: 5 },
        { positions: [7], take: 5 },
      ],
      'DESC',
      2,
    );
    expect(choice).toEqual({ done: true, positions: [9, 7] });
  });

  it('reads a range deeper when its farthest entry read is nearer than the limit-th nearest of all', () => {
    // Range 0 read 2 deep reached 19; the 3rd newest of all is 15, so range 0 may hold 16 to 18 unread.
    const choice = chooseNearest(
      [
        { positions: [20, 19], take: 2 },
        { positions: [15, 12, 10], take: 3 },
        { positions: [1], take: 2 },
      ],
      'DESC',
      3,
    );
    expect(choice).toEqual({ done: false, deeper: new Map([[0, 3]]) });
  });

  it('stops once every range not read to its end reaches beyond the limit-th nearest or was read limit deep', () => {
    const reads = [
      { positions: [10, 8, 7], take: 3 },
      { positions: [9, 5], take: 2 },
    ];
    expect(chooseNearest(reads, 'DESC', 3)).toEqual({ done: true, positions: [10, 9, 8] });
  });

  it('reads deeper when fewer than limit were read and a range may hold more', () => {
    const choice = chooseNearest([{ positions: [3, 4], take: 2 }], 'ASC', 5);
    expect(choice).toEqual({ done: false, deeper: new Map([[0, 5]]) });
  });

  it('takes the oldest first for a future, across lanes read in any order', () => {
    const choice = chooseNearest(
      [
        { positions: [4, 6], take: 2 },
        { positions: [5], take: 2 },
        { positions: [11, 2], take: 3 },
      ],
      'ASC',
      3,
    );
    expect(choice).toEqual({ done: true, positions: [2, 4, 5] });
  });

  it('grows a range four times deeper each round, never beyond the limit', () => {
    const choice = chooseNearest(
      [
        { positions: [100, 99], take: 2 },
        { positions: [98, 97, 96, 95, 94, 93], take: 6 },
        { positions: [1], take: 2 },
      ],
      'DESC',
      20,
    );
    expect(choice).toEqual({
      done: false,
      deeper: new Map([
        [0, 8],
        [1, 20],
      ]),
    });
  });
});
