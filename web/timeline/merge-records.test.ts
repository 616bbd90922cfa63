import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimelineRecord } from '../../shared/timeline-page.js';
import { mergeRecords } from './merge-records.js';

const rec = (position: number): TimelineRecord => ({
  id: `e${position}`,
  position,
  type: 't',
  source: 's',
  process: 'p',
  time: position * 1000,
  vectorClock: { p: position },
  correlationId: `e${position}`,
  causationId: null,
  flowId: null,
  nodeId: null,
});

describe('adding events read apart to the loaded ones', () => {
  it('puts an older neighbourhood before the loaded events, in position order', () => {
    const merged = mergeRecords([rec(100), rec(101)], [rec(5), rec(3), rec(4)]);
    expect(merged.map((r) => r.position)).toEqual([3, 4, 5, 100, 101]);
  });

  it('keeps each position once, and answers the loaded list itself when nothing is new', () => {
    const loaded = [rec(1), rec(2)];
    expect(mergeRecords(loaded, [rec(2), rec(1)])).toBe(loaded);
    expect(mergeRecords(loaded, [rec(2), rec(3), rec(3)]).map((r) => r.position)).toEqual([1, 2, 3]);
  });

  it('is the sorted union of both, for any two lists', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(500)), fc.array(fc.nat(500)), (a, b) => {
        const loaded = [...a].sort((x, y) => x - y).map(rec);
        const merged = mergeRecords(loaded, b.map(rec)).map((r) => r.position);
        expect(merged).toEqual([...new Set([...a, ...b])].sort((x, y) => x - y));
      }),
    );
  });
});
