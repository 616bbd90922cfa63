import { describe, expect, it, vi } from 'vitest';
import { figuresOf, interleaved, roundsTable, type Contender } from './rounds.js';

const contender = (name: string, values: number[], order: string[], extra: Partial<Contender> = {}): Contender => ({
  name,
  unit: 'events/s',
  ...extra,
  run: async (round) => {
    order.push(`${name}${round}`);
    return values[round]!;
  },
});

describe('interleaved rounds', () => {
  it('runs the contenders in turns, round after round, and keeps each one’s rounds', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const order: string[] = [];
    const measured = await interleaved([contender('a', [1, 2, 3], order), contender('b', [4, 5, 6], order)], 3);
    expect(order).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
    expect(measured.map((m) => m.rounds)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('reports each contender’s median with the spread of its rounds, its baseline and goal', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const measured = await interleaved([contender('a', [10, 30, 20], []), contender('b', [25, 40, 60], [], { baseline: 'a', goal: 'ratio ≥ 2' })], 3);
    expect(figuresOf(measured)).toEqual([
      { name: 'a', value: 20, unit: 'events/s', spread: { low: 10, high: 30, kind: 'min–max', of: '3 interleaved rounds' } },
      { name: 'b', value: 40, unit: 'events/s', spread: { low: 25, high: 60, kind: 'min–max', of: '3 interleaved rounds' }, baseline: 'a', goal: 'ratio ≥ 2' },
    ]);
  });

  it('gives the ratio of medians and the range of the ratios round by round', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const measured = await interleaved([contender('a', [10, 30, 20], []), contender('b', [25, 40, 60], [], { baseline: 'a' })], 3);
    // Medians 40 / 20; round by round 25/10, 40/30, 60/20.
    expect(roundsTable('pair', measured)).toContain('2.00 (1.33–3.00) of a');
  });
});
