/**
 * Zoomed out, happened-before arrows are bundled: the arrows between the same two lanes whose heads fall in the
 * same bin of pixels are drawn as one, from their mean tail to their mean head, with their count, instead of a
 * comb of near-vertical lines. Pure.
 */
import type { TimelineLayout } from './layout.js';

export interface Bundle {
  fromLane: number;
  toLane: number;
  /** Mean x of the tails and of the heads, in pixels from the plot's left edge. */
  fromPx: number;
  toPx: number;
  count: number;
}

/** The given edges (indices into edgeFrom/edgeTo) bundled by lane pair and head bin of `binPx` pixels. */
export function bundleEdges(layout: TimelineLayout, edges: readonly number[], view: { x0: number; scale: number }, binPx = 24): Bundle[] {
  const bundles = new Map<number, Bundle>();
  const lanes = Math.max(1, layout.lanes.length);
  for (const k of edges) {
    const a = layout.edgeFrom[k]!;
    const b = layout.edgeTo[k]!;
    const fromPx = (layout.x[a]! - view.x0) * view.scale;
    const toPx = (layout.x[b]! - view.x0) * view.scale;
    const fromLane = layout.lane[a]!;
    const toLane = layout.lane[b]!;
    const key = (Math.floor(toPx / binPx) * lanes + fromLane) * lanes + toLane;
    const bundle = bundles.get(key);
    if (bundle) {
      bundle.fromPx += fromPx;
      bundle.toPx += toPx;
      bundle.count++;
    } else bundles.set(key, { fromLane, toLane, fromPx, toPx, count: 1 });
  }
  const out = [...bundles.values()];
  for (const b of out) {
    b.fromPx /= b.count;
    b.toPx /= b.count;
  }
  return out;
}
