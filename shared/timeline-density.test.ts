import { describe, expect, it } from 'vitest';
import { densityOf, densityPlan, sliceOf } from './timeline-density.js';

describe('timeline density', () => {
  it('cuts a range into slices of whole milliseconds that cover it, the last event in the last slice', () => {
    const plan = densityPlan(1000, 1999, 10);
    expect(plan.bucketMs).toBe(100);
    expect(sliceOf(plan, 1000)).toBe(0);
    expect(sliceOf(plan, 1099)).toBe(0);
    expect(sliceOf(plan, 1100)).toBe(1);
    expect(sliceOf(plan, 1999)).toBe(9);
    expect(sliceOf(plan, 999)).toBe(-1);
    expect(sliceOf(plan, 2000)).toBe(-1);
  });

  it('counts every event of a random history once, in the slice its time falls in', () => {
    for (let round = 0; round < 20; round++) {
      const times = Array.from({ length: 200 }, () => Math.floor(Math.random() * 1e6));
      const plan = densityPlan(Math.min(...times), Math.max(...times), 1 + Math.floor(Math.random() * 50));
      const answer = densityOf(
        plan,
        times.map((t, i) => ({ process: `p${i % 3}`, slice: sliceOf(plan, t), count: 1 })),
      );
      expect(answer.total).toBe(times.length);
      expect(answer.lanes.map((l) => l.process)).toEqual(['p0', 'p1', 'p2']);
      expect(answer.lanes.reduce((n, l) => n + l.counts.reduce((a, b) => a + b, 0), 0)).toBe(times.length);
      for (const l of answer.lanes) expect(l.counts).toHaveLength(plan.buckets);
    }
  });

  it('keeps a range of one instant as one slice', () => {
    const plan = densityPlan(5, 5, 100);
    expect(sliceOf(plan, 5)).toBe(0);
    expect(plan.bucketMs).toBe(1);
  });
});
