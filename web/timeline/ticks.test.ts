import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { causalTicks, niceStep, TIME_STEPS, timeLabel, timeTicks } from './ticks.js';

const at = (iso: string) => Date.parse(iso);

describe('axis ticks', () => {
  it('falls on round times, never on odd milliseconds, and labels them to the step', () => {
    const ticks = timeTicks(at('2026-03-01T10:40:43.454Z'), at('2026-03-01T10:40:51.454Z'), 800);
    expect(ticks.length).toBeGreaterThan(2);
    for (const t of ticks.slice(1)) expect(t.label).toMatch(/^10:40:\d\d$/);
    expect(ticks[0]!.label).toBe('2026-03-01 10:40:44');
    expect(ticks.every((t) => t.at % 1000 === 0)).toBe(true);
  });

  it('puts the date on the first tick and where a day starts', () => {
    const ticks = timeTicks(at('2026-03-01T20:00:00Z'), at('2026-03-02T04:00:00Z'), 800);
    const midnight = ticks.find((t) => t.at === at('2026-03-02T00:00:00Z'))!;
    expect(midnight).toMatchObject({ label: '2026-03-02', major: true });
    expect(ticks[0]!.label.startsWith('2026-03-01 ')).toBe(true);
  });

  it('keeps ticks on a round step at least the spacing apart, for any range and width', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: 1, max: 1e10 }), fc.integer({ min: 100, max: 3000 }), (from, span, width) => {
        const ticks = timeTicks(from, from + span, width, 100);
        for (let k = 1; k < ticks.length; k++) {
          const step = ticks[k]!.at - ticks[k - 1]!.at;
          expect((step / span) * width).toBeGreaterThanOrEqual(99.999);
          expect(TIME_STEPS.includes(step) || step % (365 * 86_400_000) === 0).toBe(true);
          expect(ticks[k]!.at % step).toBe(0);
        }
        for (const t of ticks) expect(t.at >= from && t.at <= from + span).toBe(true);
      }),
    );
  });

  it('labels milliseconds only when the step is under a second', () => {
    expect(timeLabel(at('2026-03-01T10:40:43.450Z'), 50)).toBe('10:40:43.450');
    expect(timeLabel(at('2026-03-01T10:40:00Z'), 60_000)).toBe('10:40');
  });

  it('steps the causal axis by 1, 2 or 5 × 10ⁿ', () => {
    expect(niceStep(3)).toBe(5);
    expect(niceStep(0.3)).toBe(1);
    expect(causalTicks(0, 1000, 800, 80).map((t) => t.at).slice(0, 3)).toEqual([0, 100, 200]);
  });
});
