import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cover, nextRange, PayloadSearch, type Covered } from './payload-search.js';

/** A search whose answers the test hands out: every call waits until `answer` settles it. */
function scriptedSearch(matches: (text: string, position: number) => boolean) {
  const calls: { text: string; range: [number, number]; settle: () => void; answered: boolean }[] = [];
  const search = (text: string, first: number, last: number) =>
    new Promise<Set<number>>((resolve) => {
      const found = new Set<number>();
      for (let p = first; p <= last; p++) if (matches(text, p)) found.add(p);
      calls.push({ text, range: [first, last], settle: () => resolve(found), answered: false });
    });
  /** Answers the oldest request still waiting, and lets the search go on from there. */
  const answer = async () => {
    const call = calls.find((c) => !c.answered)!;
    call.answered = true;
    call.settle();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { calls, search, answer };
}

function harness(matches: (text: string, position: number) => boolean) {
  const scripted = scriptedSearch(matches);
  const results: (number[] | null)[] = [];
  const search = new PayloadSearch(scripted.search, (found) => results.push(found && [...found].sort((a, b) => a - b)), (e) => {
    throw e;
  });
  return { ...scripted, results, search };
}

describe('the ranges a payload search asks for', () => {
  it('searches only beyond what is covered, on either side, and nothing once all is covered', () => {
    expect(nextRange(null, 10, 20)).toEqual([10, 20]);
    expect(nextRange({ first: 10, last: 20 }, 10, 30)).toEqual([21, 30]);
    expect(nextRange({ first: 10, last: 20 }, 5, 20)).toEqual([5, 9]);
    expect(nextRange({ first: 10, last: 20 }, 12, 18)).toBeNull();
    expect(nextRange({ first: 10, last: 20 }, 40, 50)).toEqual([40, 50]);
  });

  it('covers any window in steps that never search a position twice', () => {
    const window = fc.tuple(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 500 })).map(([first, length]) => [first, first + length] as const);
    fc.assert(
      fc.property(fc.array(window, { minLength: 1, maxLength: 8 }), (windows) => {
        let covered: Covered | null = null;
        for (const [first, last] of windows) {
          const searched = new Set<number>();
          for (let range = nextRange(covered, first, last); range; range = nextRange(covered, first, last)) {
            for (let p = range[0]; p <= range[1]; p++) {
              expect(searched.has(p)).toBe(false);
              searched.add(p);
            }
            covered = cover(covered, range);
          }
          expect(covered!.first).toBeLessThanOrEqual(first);
          expect(covered!.last).toBeGreaterThanOrEqual(last);
        }
      }),
    );
  });
});

describe('a payload search while events keep arriving', () => {
  const even = (_text: string, p: number) => p % 2 === 0;

  it('finishes although the range grows faster than it searches, asking only for the new events', async () => {
    const { calls, results, search, answer } = harness(even);
    search.want('warm', 1, 100);
    search.want('warm', 1, 150); // live events while the first request is under way
    search.want('warm', 1, 200);
    expect(calls.map((c) => c.range)).toEqual([[1, 100]]);
    await answer();
    expect(calls.map((c) => c.range)).toEqual([[1, 100], [101, 200]]);
    await answer();
    expect(results.at(-1)).toEqual(Array.from({ length: 100 }, (_, i) => 2 * (i + 1)));
    search.want('warm', 1, 200);
    expect(calls).toHaveLength(2);
  });

  it('searches older pages loaded at the front, keeping what it found', async () => {
    const { calls, results, search, answer } = harness(even);
    search.want('warm', 50, 60);
    await answer();
    search.want('warm', 40, 60);
    await answer();
    expect(calls.map((c) => c.range)).toEqual([[50, 60], [40, 49]]);
    expect(results.at(-1)).toEqual([40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60]);
  });

  it('drops an answer for a text that changed meanwhile and searches the new text from scratch', async () => {
    const { calls, results, search, answer } = harness((text, p) => (text === 'a' ? p === 1 : p === 2));
    search.want('a', 1, 10);
    search.want('b', 1, 10);
    expect(results).toEqual([null, null]); // nothing known for "a", then for "b"
    await answer(); // "a" answers: dropped
    expect(calls.map((c) => [c.text, c.range])).toEqual([['a', [1, 10]], ['b', [1, 10]]]);
    await answer();
    expect(results).toEqual([null, null, [2]]);
  });

  it('stops searching when the text is cleared', async () => {
    const { calls, results, search, answer } = harness(even);
    search.want('warm', 1, 10);
    search.want(null, 1, 20);
    await answer();
    expect(calls).toHaveLength(1);
    expect(results).toEqual([null, null]);
  });
});
