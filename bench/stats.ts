/**
 * Summaries of a figure's samples (rounds, queries, frames, seconds of a load): its middle value and how far the
 * samples spread around it, so one run's table says how much its figures may be trusted.
 */

/** The middle value (the upper one of an even count); 0 for none. */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** The value below which a share `q` (0–1) of the samples lie, interpolated between neighbours; 0 for none. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const at = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const below = Math.floor(at);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (at - below);
}

/**
 * How far a figure's samples spread: the lowest and highest of a few, or the middle half (25th to 75th
 * percentile) of many, where the extremes say more about the machine's hiccups than about the code.
 */
export interface Spread {
  low: number;
  high: number;
  kind: 'min–max' | 'p25–p75';
  /** What the samples are, counted: `5 rounds`, `21 queries`, `8 s`. */
  of: string;
}

/** Samples at or above which the spread is the middle half rather than the extremes. */
export const MANY_SAMPLES = 20;

/** The spread of `samples`, which are `what` (`rounds`, `queries`, `s`); undefined for fewer than two. */
export function spreadOf(samples: readonly number[], what: string): Spread | undefined {
  if (samples.length < 2) return undefined;
  const of = `${samples.length} ${what}`;
  if (samples.length >= MANY_SAMPLES) return { low: quantile(samples, 0.25), high: quantile(samples, 0.75), kind: 'p25–p75', of };
  return { low: Math.min(...samples), high: Math.max(...samples), kind: 'min–max', of };
}
