import { describe, expect, it } from 'vitest';
import { MANY_SAMPLES, median, quantile, spreadOf } from './stats.js';

describe('the summaries of a figure’s samples', () => {
  it('takes the middle value, the upper one of an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(3);
    expect(median([])).toBe(0);
  });

  it('interpolates a quantile between the neighbouring samples', () => {
    expect(quantile([10, 20, 30, 40, 50], 0.25)).toBe(20);
    expect(quantile([10, 20], 0.5)).toBe(15);
    expect(quantile([7], 0.9)).toBe(7);
  });

  it('gives the lowest and highest of a few samples, counted', () => {
    expect(spreadOf([7400, 8100, 7900], 'rounds')).toEqual({ low: 7400, high: 8100, kind: 'min–max', of: '3 rounds' });
  });

  it('gives the middle half of many samples, so a hiccup does not make the spread', () => {
    const frames = [...Array.from({ length: MANY_SAMPLES * 2 }, (_, i) => 16 + (i % 3) * 0.1), 250];
    const spread = spreadOf(frames, 'frames')!;
    expect(spread.kind).toBe('p25–p75');
    expect(spread.high).toBeLessThan(17);
    expect(spread.of).toBe(`${frames.length} frames`);
  });

  it('gives none for a single measurement', () => {
    expect(spreadOf([42], 'rounds')).toBeUndefined();
  });
});
