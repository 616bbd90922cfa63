/**
 * Interleaved rounds for comparisons: contenders A, B, C run one after another, then again, round after round, so a
 * machine that speeds up or slows down during the comparison moves every contender alike rather than whichever ran
 * last. Each contender's figure is its median over the rounds; the spread (lowest and highest round) is printed
 * beside it, since one number cannot say whether a ratio is within the noise.
 */
import type { Figure } from './report.js';
import { median, spreadOf } from './stats.js';

export interface Contender {
  /** The figure this contender measures. */
  name: string;
  unit: string;
  /** The figure it is compared with (a ratio in the report), and the goal of that ratio. */
  baseline?: string;
  goal?: string;
  /** One measurement, in `unit`. */
  run(round: number): Promise<number>;
}

export interface Measured {
  contender: Contender;
  rounds: number[];
}

/** Runs every contender once per round, in the same order each round. */
export async function interleaved(contenders: readonly Contender[], rounds: number): Promise<Measured[]> {
  const measured = contenders.map((contender) => ({ contender, rounds: [] as number[] }));
  for (let round = 0; round < rounds; round++) {
    for (const m of measured) {
      const value = await m.contender.run(round);
      m.rounds.push(value);
      console.error(`  round ${round + 1}/${rounds} ${m.contender.name}: ${format(value)} ${m.contender.unit}`);
    }
  }
  return measured;
}

/** The report's figures: each contender's median, with the spread of its rounds. */
export const figuresOf = (measured: readonly Measured[]): Figure[] =>
  measured.map(({ contender: c, rounds }) => ({
    name: c.name,
    value: median(rounds),
    unit: c.unit,
    spread: spreadOf(rounds, 'interleaved rounds'),
    ...(c.baseline ? { baseline: c.baseline } : {}),
    ...(c.goal ? { goal: c.goal } : {}),
  }));

const format = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100).toLocaleString('en-US');

/**
 * The rounds as a table: median, lowest–highest round, and the ratio of medians to the baseline with the range of
 * the ratios round by round. Baselines are looked up among `measured` and `others`.
 */
export function roundsTable(title: string, measured: readonly Measured[], others: readonly Measured[] = []): string {
  const byName = new Map([...others, ...measured].map((m) => [m.contender.name, m]));
  const rows = [['figure', 'median', 'lowest–highest', 'unit', 'ratio (range)', 'goal']];
  for (const { contender: c, rounds } of measured) {
    const base = c.baseline ? byName.get(c.baseline) : undefined;
    let ratio = '';
    if (base) {
      const r = median(rounds) / median(base.rounds);
      // Round by round: the two ran next to each other, on the same machine's mood.
      const paired = rounds.map((v, i) => v / (base.rounds[i] ?? NaN)).filter((x) => Number.isFinite(x));
      ratio = `${r.toFixed(2)} (${Math.min(...paired).toFixed(2)}–${Math.max(...paired).toFixed(2)}) of ${base.contender.name}`;
    }
    rows.push([c.name, format(median(rounds)), `${format(Math.min(...rounds))}–${format(Math.max(...rounds))}`, c.unit, ratio, c.goal ?? '']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  return `${title} (${measured[0]?.rounds.length ?? 0} interleaved rounds)\n${lines.join('\n')}\n`;
}
