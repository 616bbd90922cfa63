/**
 * Rate history per node from successive counter samples: events per second through the node (the busier of its
 * in and out sides: a source only sends, a sink only takes) between samples, the last `keep` of them, for the
 * sparklines.
 */
import type { NodeCounters } from '../../shared/api/flows.js';

export interface RateHistory {
  at: number;
  last: Record<string, number>;
  series: Record<string, number[]>;
}

export const emptyRates = (): RateHistory => ({ at: 0, last: {}, series: {} });

export function addSample(history: RateHistory, counters: Record<string, NodeCounters>, at: number, keep = 30): RateHistory {
  const seconds = history.at === 0 ? 0 : (at - history.at) / 1000;
  const series: Record<string, number[]> = {};
  const last: Record<string, number> = {};
  for (const [id, c] of Object.entries(counters)) {
    const total = Math.max(c.in, c.out);
    last[id] = total;
    const before = history.last[id];
    const rate = seconds > 0 && before !== undefined ? Math.max(0, (total - before) / seconds) : 0;
    series[id] = [...(history.series[id] ?? []), rate].slice(-keep);
  }
  return { at, last, series };
}
