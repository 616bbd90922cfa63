/** Bench figures and the report: a table on stdout and bench/results.json, each figure with the spread of its samples. */
import { cpus, totalmem } from 'node:os';
import type { Spread } from './stats.js';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The figure this one is measured against, on the same machine in the same run. */
  baseline?: string;
  /** The goal the figure is held to, shown beside it. */
  goal?: string;
  /** How far the samples the value summarises spread (see stats.ts); absent for a single measurement. */
  spread?: Spread;
}

export interface ReportedFigure {
  name: string;
  value: number;
  unit: string;
  spread?: Spread;
  baseline?: { name: string; value: number };
  ratio?: number;
  goal?: string;
}

export const machine = () =>
  `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;

export function resolveBaselines(figures: Figure[]): ReportedFigure[] {
  const byName = new Map(figures.map((f) => [f.name, f]));
  return figures.map((f) => {
    const out: ReportedFigure = { name: f.name, value: round(f.value), unit: f.unit };
    if (f.spread) out.spread = { ...f.spread, low: round(f.spread.low), high: round(f.spread.high) };
    if (f.goal) out.goal = f.goal;
    const base = f.baseline ? byName.get(f.baseline) : undefined;
    if (base) {
      out.baseline = { name: base.name, value: round(base.value) };
      out.ratio = round(f.value / base.value, 3);
    }
    return out;
  });
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** `7,400–8,100 (min–max of 5 rounds)`; `one measurement` without a spread. */
export const spreadText = (spread: Spread | undefined): string =>
  spread ? `${spread.low.toLocaleString('en-US')}–${spread.high.toLocaleString('en-US')} (${spread.kind} of ${spread.of})` : 'one measurement';

export function table(figures: ReportedFigure[]): string {
  const rows = [
    ['figure', 'value', 'unit', 'spread', 'baseline', 'ratio', 'goal'],
    ...figures.map((f) => [
      f.name,
      f.value.toLocaleString('en-US'),
      f.unit,
      spreadText(f.spread),
      f.baseline ? `${f.baseline.name} = ${f.baseline.value.toLocaleString('en-US')}` : '',
      f.ratio === undefined ? '' : String(f.ratio),
      f.goal ?? '',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
