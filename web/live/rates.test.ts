import { describe, expect, it } from 'vitest';
import type { NodeCounters } from '../../shared/api/flows.js';
import { addSample, emptyRates, type RateHistory } from './rates.js';

const counters = (inCount: number, out = 0): NodeCounters => ({ in: inCount, out, errors: 0, queued: 0 });

/** Feeds samples in order, starting from an empty history. */
const feed = (samples: Array<[at: number, nodes: Record<string, NodeCounters>]>, keep?: number): RateHistory =>
  samples.reduce((history, [at, nodes]) => addSample(history, nodes, at, keep), emptyRates());

describe('rate history from counter samples', () => {
  it('starts every node at rate zero on the first sample', () => {
    const history = feed([[10_000, { a: counters(500), b: counters(7) }]]);
    expect(history.series).toEqual({ a: [0], b: [0] });
    expect(history.at).toBe(10_000);
  });

  it('divides the growth of a counter by the seconds between samples', () => {
    const history = feed([
      [10_000, { a: counters(100) }],
      [12_000, { a: counters(130) }],
      [12_500, { a: counters(135) }],
    ]);
    expect(history.series.a).toEqual([0, 15, 10]);
  });

  it('counts traffic through a node once: a node taking and passing 10 events a second draws 10/s', () => {
    const history = feed([
      [10_000, { filter: counters(100, 100), source: counters(0, 50) }],
      [11_000, { filter: counters(110, 110), source: counters(0, 60) }],
    ]);
    expect(history.series.filter).toEqual([0, 10]);
    expect(history.series.source).toEqual([0, 10]);
  });

  it('keeps a separate series per node', () => {
    const history = feed([
      [1_000, { a: counters(0), b: counters(0) }],
      [2_000, { a: counters(4), b: counters(9) }],
    ]);
    expect(history.series).toEqual({ a: [0, 4], b: [0, 9] });
  });

  it('never goes negative when a counter restarts from zero', () => {
    const history = feed([
      [1_000, { a: counters(80) }],
      [2_000, { a: counters(3) }],
    ]);
    expect(history.series.a).toEqual([0, 0]);
  });

  it('starts a node that appears later at rate zero', () => {
    const history = feed([
      [1_000, { a: counters(0) }],
      [2_000, { a: counters(5), late: counters(40) }],
      [3_000, { a: counters(5), late: counters(46) }],
    ]);
    expect(history.series.late).toEqual([0, 6]);
    expect(history.series.a).toEqual([0, 5, 0]);
  });

  it('drops a node that is no longer reported', () => {
    const history = feed([
      [1_000, { a: counters(0), gone: counters(0) }],
      [2_000, { a: counters(1) }],
    ]);
    expect(Object.keys(history.series)).toEqual(['a']);
    expect(Object.keys(history.last)).toEqual(['a']);
  });

  it('gives rate zero for a sample taken at the same instant as the last', () => {
    const history = feed([
      [1_000, { a: counters(0) }],
      [1_000, { a: counters(10) }],
    ]);
    expect(history.series.a).toEqual([0, 0]);
  });

  it('keeps only the most recent rates', () => {
    const samples: Array<[number, Record<string, NodeCounters>]> = [];
    for (let i = 0; i <= 10; i++) samples.push([1_000 * (i + 1), { a: counters(i * i) }]);
    const history = feed(samples, 4);
    // Growth between seconds i-1 and i is i² - (i-1)² = 2i - 1; the last four are for i = 7..10.
    expect(history.series.a).toEqual([13, 15, 17, 19]);
  });

  it('keeps thirty rates unless told otherwise', () => {
    const samples: Array<[number, Record<string, NodeCounters>]> = [];
    for (let i = 0; i < 45; i++) samples.push([1_000 * (i + 1), { a: counters(i) }]);
    expect(feed(samples).series.a).toHaveLength(30);
  });

  it('leaves the previous history unchanged', () => {
    const first = addSample(emptyRates(), { a: counters(1) }, 1_000);
    const snapshot = structuredClone(first);
    addSample(first, { a: counters(9), b: counters(2) }, 2_000);
    expect(first).toEqual(snapshot);
  });
});
