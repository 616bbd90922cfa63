/**
 * The overview strip's counts in causal order: the server counts the store by time, which says nothing of causal
 * steps, so on the causal axis the strip counts the diagram's own events per host and slice of its causal range,
 * in the same form (shared/timeline-density.ts) so the strip draws and brushes both alike. Pure.
 */
import { densityPlan, sliceOf, type TimelineDensity } from '../../shared/timeline-density.js';
import type { TimelineLayout } from './layout.js';

export function causalOverview(layout: TimelineLayout, buckets: number): TimelineDensity {
  const [first, last] = layout.extent;
  const plan = densityPlan(Math.floor(first), Math.ceil(last), buckets);
  const counts = layout.lanes.map(() => new Array<number>(plan.buckets).fill(0));
  for (let k = 0; k < layout.order.length; k++) {
    const slice = sliceOf(plan, Math.round(layout.orderX[k]!));
    const lane = counts[layout.lane[layout.order[k]!]!];
    if (lane && slice >= 0) lane[slice]!++;
  }
  return {
    from: plan.from,
    to: plan.to,
    bucketMs: plan.bucketMs,
    total: layout.order.length,
    lanes: layout.lanes.map((process, k) => ({ process, counts: counts[k]! })),
  };
}
