/**
 * The visible window of the diagram and the mapping between axis units and pixels: pan, zoom around a point,
 * fit, and finding the event under the pointer. Pixels count from the canvas's left edge, the lane labels first
 * (`left` wide), then the plot. Pure.
 */
import { laneBands, visibleEvents, type LaneBand, type TimelineLayout } from './layout.js';

export interface Viewport {
  /** Axis value at the left edge of the plot. */
  x0: number;
  /** Pixels per axis unit. */
  scale: number;
  /** Width of the plot in pixels (right of the lane labels). */
  width: number;
  /** Width of the lane labels in pixels, left of the plot (default LABEL_WIDTH): the user may drag it. */
  left?: number;
}

/** The lane labels' width unless the user dragged it, and the bounds of a drag. */
export const LABEL_WIDTH = 150;
export const LABEL_WIDTH_RANGE = { min: 60, max: 600 } as const;
export const labelWidthOf = (v: Pick<Viewport, 'left'>): number => v.left ?? LABEL_WIDTH;
export const AXIS_HEIGHT = 22;
export const LANE_HEIGHT = 36;
export const COLLAPSED_HEIGHT = 10;
const MIN_SCALE = 1e-9;
const MAX_SCALE = 400;

export const toPx = (v: Viewport, x: number): number => labelWidthOf(v) + (x - v.x0) * v.scale;
export const toX = (v: Viewport, px: number): number => v.x0 + (px - labelWidthOf(v)) / v.scale;
export const visibleSpan = (v: Viewport): [number, number] => [v.x0, v.x0 + v.width / v.scale];

/** The whole extent in view, with a margin. */
export function fit(layout: TimelineLayout, width: number): Viewport {
  const [a, b] = layout.extent;
  const span = Math.max(b - a, 1);
  const margin = span * 0.03;
  return { x0: a - margin, scale: Math.max(MIN_SCALE, width / (span + 2 * margin)), width };
}

/**
 * The view with `x` in the middle of the plot, zoomed in (never out) until at most `span` axis units show, so an
 * event brought into view from afar is not a speck among thousands.
 */
export function centreOn(v: Viewport, x: number, span = Infinity): Viewport {
  const scale = Math.min(MAX_SCALE, Math.max(v.scale, span > 0 ? v.width / span : v.scale));
  return { ...v, scale, x0: x - v.width / 2 / scale };
}

/** Whether axis value `x` is inside the plot. */
export const inView = (v: Viewport, x: number): boolean => x >= v.x0 && x <= v.x0 + v.width / v.scale;

export const pan = (v: Viewport, dpx: number): Viewport => ({ ...v, x0: v.x0 - dpx / v.scale });

/**
 * The view kept on the data: never wider than the whole extent with its fit margin, and never scrolled past
 * either end (so zooming out around a point near an edge cannot leave empty negative positions in view).
 */
export function clampView(v: Viewport, extent: readonly [number, number]): Viewport {
  const [a, b] = extent;
  const span = Math.max(b - a, 1);
  const margin = span * 0.03;
  const lo = a - margin;
  const hi = b + margin;
  const scale = Math.max(v.scale, v.width / (hi - lo));
  const shown = v.width / scale;
  return { ...v, scale, x0: Math.min(Math.max(v.x0, lo), hi - shown) };
}

/** The view showing [from, to] across the plot (at most MAX_SCALE), kept on the data. */
export function showRange(v: Viewport, from: number, to: number, extent: readonly [number, number]): Viewport {
  const lo = Math.min(from, to);
  const span = Math.max(Math.abs(to - from), 1 / MAX_SCALE);
  const scale = Math.min(MAX_SCALE, v.width / (span * 1.1));
  return clampView({ ...v, scale, x0: lo + span / 2 - v.width / 2 / scale }, extent);
}

/** Zoom by `factor` keeping the axis value under `px` in place. */
export function zoomAt(v: Viewport, px: number, factor: number): Viewport {
  const anchor = toX(v, px);
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.scale * factor));
  return { ...v, scale, x0: anchor - (px - labelWidthOf(v)) / scale };
}

export function bandsOf(layout: TimelineLayout, collapsed: ReadonlySet<string>): LaneBand[] {
  return laneBands(layout.lanes, collapsed, LANE_HEIGHT, COLLAPSED_HEIGHT).map((b) => ({ ...b, top: b.top + AXIS_HEIGHT }));
}

/**
 * Where a lane dragged by its label to height `py` goes: before lane k (the boundary nearest `py` is band k's top),
 * or after the last lane (bands.length).
 */
export function laneGapAt(bands: readonly LaneBand[], py: number): number {
  for (let k = 0; k < bands.length; k++) {
    const band = bands[k]!;
    if (py < band.top + band.height / 2) return k;
  }
  return bands.length;
}

/** The event nearest to a point, within `radius` pixels, or -1. */

export function eventAt(layout: TimelineLayout, bands: readonly LaneBand[], v: Viewport, px: number, py: number, radius = 6): number {
  const laneIndex = bands.findIndex((b) => py >= b.top && py < b.top + b.height);
  if (laneIndex < 0 || px < labelWidthOf(v)) return -1;
  const { start, end } = visibleEvents(layout, toX(v, px - radius), toX(v, px + radius));
  let best = -1;
  let bestDistance = Infinity;
  for (let k = start; k < end; k++) {
    const i = layout.order[k]!;
    if (layout.lane[i] !== laneIndex) continue;
    const d = Math.abs(toPx(v, layout.x[i]!) - px);
    if (d < bestDistance) {
      bestDistance = d;
      best = i;
    }
  }
  return best;
}

/** A colour per host (process), stable across sessions and distinct from the others' more often than not. */
export function hostColor(process: string): string {
  let h = 2166136261;
  for (let i = 0; i < process.length; i++) h = Math.imul(h ^ process.charCodeAt(i), 16777619) >>> 0;
  return `hsl(${(h % 36) * 10} ${55 + ((h >>> 8) % 3) * 10}% ${38 + ((h >>> 12) % 3) * 6}%)`;
}

/** A colour per event type, stable across sessions. */
export function typeColor(type: string): string {
  let h = 0;
  for (let i = 0; i < type.length; i++) h = (h * 31 + type.charCodeAt(i)) >>> 0;
  return `hsl(${h % 360} 65% 45%)`;
}
