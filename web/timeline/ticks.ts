/**
 * Ticks of the diagram's axis at round intervals: on the time axis 1, 2, 5 … ms, 1, 2, 5, 10, 15, 30 s and min,
 * 1, 2, 3, 6, 12 h, days, each on a multiple of its step in UTC (10:40:43.450, never 10:40:43.454), labelled to
 * the step's precision, with the date where a day starts and on the first tick; on the causal axis 1, 2, 5 × 10ⁿ
 * steps. Pure.
 */

export interface Tick {
  /** Axis value: epoch ms on the time axis, the causal step on the causal axis. */
  at: number;
  label: string;
  /** The first tick of a day (time axis): drawn stronger, its label the date. */
  major: boolean;
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
/** The round intervals of the time axis, smallest first. */
export const TIME_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M, H, 2 * H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 14 * D, 30 * D, 91 * D, 365 * D];

/** The smallest round step of at least `raw`. */
export function timeStep(raw: number): number {
  for (const s of TIME_STEPS) if (s >= raw) return s;
  return Math.ceil(raw / (365 * D)) * 365 * D;
}

/** A 1, 2 or 5 × 10ⁿ step of at least `raw`, at least 1. */
export function niceStep(raw: number): number {
  if (!(raw > 1) || !Number.isFinite(raw)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const dateOf = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** A time label to the precision of `step`. */
export function timeLabel(ms: number, step: number): string {
  const d = new Date(ms);
  if (step >= D) return dateOf(d);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (step >= M) return hm;
  const hms = `${hm}:${pad(d.getUTCSeconds())}`;
  if (step >= S) return hms;
  return `${hms}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/**
 * Ticks between `from` and `to` (epoch ms) on a plot `widthPx` wide, at least `spacingPx` apart. Steps of a day
 * or more fall on UTC midnights (weeks and longer counted from the epoch's midnight).
 */
export function timeTicks(from: number, to: number, widthPx: number, spacingPx = 110): Tick[] {
  if (!(to > from) || widthPx <= 0) return [];
  const step = timeStep(((to - from) / widthPx) * spacingPx);
  const ticks: Tick[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to && ticks.length < 1000; t += step) {
    const startsDay = t % D === 0;
    const first = ticks.length === 0;
    const label = step >= D || startsDay ? dateOf(new Date(t)) : first ? `${dateOf(new Date(t))} ${timeLabel(t, step)}` : timeLabel(t, step);
    ticks.push({ at: t, label, major: startsDay });
  }
  return ticks;
}

/** Ticks of the causal axis: whole steps at 1, 2, 5 × 10ⁿ. */
export function causalTicks(from: number, to: number, widthPx: number, spacingPx = 80): Tick[] {
  if (!(to > from) || widthPx <= 0) return [];
  const step = niceStep(((to - from) / widthPx) * spacingPx);
  const ticks: Tick[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to && ticks.length < 1000; t += step) ticks.push({ at: t, label: String(t), major: false });
  return ticks;
}
