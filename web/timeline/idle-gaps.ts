/**
 * "Compress idle time": a long stretch with no event on any lane is drawn as a short break, so bursts an hour apart
 * both read. The axis is mapped piecewise: each gap longer than `threshold` shrinks to `threshold`; everything
 * else keeps its scale. Pure: the mapping is monotonic, so brushes and selections map back exactly.
 */
import type { TimelineLayout } from './layout.js';

export interface Gap {
  /** Axis values (uncompressed) where the idle stretch starts and ends: two consecutive events. */
  from: number;
  to: number;
}

export interface CompressedAxis {
  gaps: Gap[];
  /** Each gap drawn this long, in axis units. */
  threshold: number;
  /** Uncompressed → compressed. */
  map(x: number): number;
  /** Compressed → uncompressed. */
  unmap(x: number): number;
}

/**
 * The idle stretches of sorted axis values: gaps at least `share` of the whole extent and at least 20 times the
 * median gap.
 */
export function idleGaps(sortedX: ArrayLike<number>, share = 0.02): { gaps: Gap[]; threshold: number } {
  const n = sortedX.length;
  if (n < 3) return { gaps: [], threshold: 0 };
  const extent = sortedX[n - 1]! - sortedX[0]!;
  const diffs: number[] = [];
  for (let k = 1; k < n; k++) diffs.push(sortedX[k]! - sortedX[k - 1]!);
  const median = [...diffs].sort((a, b) => a - b)[diffs.length >> 1]!;
  const threshold = Math.max(extent * share, median * 20);
  if (!(threshold > 0)) return { gaps: [], threshold: 0 };
  const gaps: Gap[] = [];
  for (let k = 1; k < n; k++) if (diffs[k - 1]! > threshold) gaps.push({ from: sortedX[k - 1]!, to: sortedX[k]! });
  return { gaps, threshold };
}

/** The piecewise mapping that shrinks each gap to `threshold`. */
export function compressAxis(gaps: readonly Gap[], threshold: number): CompressedAxis {
  // removed[k]: how much the gaps before gap k took away.
  const removed: number[] = [];
  let total = 0;
  for (const g of gaps) {
    removed.push(total);
    total += g.to - g.from - threshold;
  }
  const map = (x: number): number => {
    let lo = 0;
    let hi = gaps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (gaps[mid]!.from < x) lo = mid + 1;
      else hi = mid;
    }
    // Gaps 0..lo-1 start before x.
    if (lo === 0) return x;
    const g = gaps[lo - 1]!;
    const before = removed[lo - 1]!;
    if (x >= g.to) return x - before - (g.to - g.from - threshold);
    return g.from - before + ((x - g.from) / (g.to - g.from)) * threshold;
  };
  const unmap = (y: number): number => {
    for (let k = gaps.length - 1; k >= 0; k--) {
      const g = gaps[k]!;
      const start = g.from - removed[k]!;
      if (y <= start) continue;
      if (y >= start + threshold) return y + removed[k]! + (g.to - g.from - threshold);
      return g.from + ((y - start) / threshold) * (g.to - g.from);
    }
    return y;
  };
  return { gaps: [...gaps], threshold, map, unmap };
}

/** The layout with every x mapped through the compressed axis (same events, lanes, order and edges). */
export function compressLayout(layout: TimelineLayout, axis: CompressedAxis): TimelineLayout {
  const x = Float64Array.from(layout.x, axis.map);
  const orderX = Float64Array.from(layout.orderX, axis.map);
  let maxEdgeSpan = 0;
  for (let k = 0; k < layout.edgeFrom.length; k++) maxEdgeSpan = Math.max(maxEdgeSpan, Math.abs(x[layout.edgeTo[k]!]! - x[layout.edgeFrom[k]!]!));
  return { ...layout, x, orderX, maxEdgeSpan, extent: [axis.map(layout.extent[0]), axis.map(layout.extent[1])] };
}
