/**
 * Drawing the diagram on a 2D canvas: lane bands and labels, the axis, happened-before arrows and event marks.
 * Only the visible window is drawn; marks that would land on the same pixel of a lane are drawn once, so a
 * frame costs at most (width × lanes) marks whatever the number of events. Zoomed out (`dense`), lanes are drawn
 * as their density and arrows bundled (render-dense.ts); the axis labels are drawn pinned above (render-axis.ts).
 */
import type { Bundle } from './bundles.js';
import type { DensityGrid } from './density.js';
import type { LaneBand, TimelineLayout } from './layout.js';
import { CONE, visibleEdges, visibleEvents } from './layout.js';
import type { LocalRun } from './local-runs.js';
import { drawBundles, drawDensity, drawSelectedColumn } from './render-dense.js';
import type { Tick } from './ticks.js';
import { AXIS_HEIGHT, hostColor, labelWidthOf, toPx, typeColor, visibleSpan, type Viewport } from './viewport.js';

export interface Scene {
  layout: TimelineLayout;
  bands: LaneBand[];
  viewport: Viewport;
  types: readonly string[];
  /** Per event: a cone mark (CONE.*), or null when nothing is selected. */
  cone: Uint8Array | null;
  /** Per event: 1 when the query matches (all 1 without a query). */
  mask: Uint8Array;
  selected: number;
  /** A brushed range in axis units. */
  brush: [number, number] | null;
  height: number;
  /** Replay events drawn in their own layer, if any. */
  overlay?: { layout: TimelineLayout; laneOf: Int32Array } | null;
  /** Where the axis has ticks (axis values): a light line across the lanes. */
  ticks?: readonly Tick[];
  /**
   * Zoomed out: the density of each lane and the bundled arrows, drawn instead of marks and arrows, and the pixel
   * column of the selected event when it is in view.
   */
  dense?: { grid: DensityGrid; bundles: Bundle[]; selectedColumn: number | null } | null;
  /** Runs of local events drawn as one mark each (ShiViz's "collapse local events"). */
  runs?: { runs: LocalRun[]; inRun: Uint8Array } | null;
  /** Colour marks by host (one colour per lane) rather than by event type. */
  byHost?: boolean;
  /** Axis values where idle time was cut out. */
  breaks?: readonly number[];
}

const MAX_EDGES = 20_000;

function dimmed(scene: Scene, i: number): boolean {
  if (!scene.mask[i]) return true;
  return scene.cone !== null && scene.cone[i] === CONE.concurrent;
}

export function drawScene(ctx: CanvasRenderingContext2D, scene: Scene, typeOf: (i: number) => number): void {
  const { layout, bands, viewport: v, height } = scene;
  const left = labelWidthOf(v);
  const width = left + v.width;
  ctx.clearRect(0, 0, width, height);

  // Lanes.
  bands.forEach((band, k) => {
    ctx.fillStyle = k % 2 ? '#f8fafc' : '#ffffff';
    ctx.fillRect(0, band.top, width, band.height);
    ctx.strokeStyle = '#e2e8f0';
    ctx.beginPath();
    ctx.moveTo(left, band.top + band.height / 2);
    ctx.lineTo(width, band.top + band.height / 2);
    ctx.stroke();
  });

  // Tick lines (their labels are on the pinned axis) and the breaks of compressed idle time.
  ctx.strokeStyle = '#f1f5f9';
  ctx.beginPath();
  for (const t of scene.ticks ?? []) {
    const px = Math.round(toPx(v, t.at)) + 0.5;
    ctx.moveTo(px, AXIS_HEIGHT);
    ctx.lineTo(px, height);
  }
  ctx.stroke();
  if (scene.breaks?.length) {
    ctx.fillStyle = 'rgba(148, 163, 184, 0.18)';
    for (const b of scene.breaks) ctx.fillRect(toPx(v, b) - 3, AXIS_HEIGHT, 6, height - AXIS_HEIGHT);
  }

  // Brush.
  if (scene.brush) {
    const a = toPx(v, Math.min(...scene.brush));
    const b = toPx(v, Math.max(...scene.brush));
    ctx.fillStyle = 'rgba(59, 130, 246, 0.15)';
    ctx.fillRect(a, AXIS_HEIGHT, b - a, height - AXIS_HEIGHT);
  }

  const centre = (i: number) => {
    const band = bands[layout.lane[i]!]!;
    return band.top + band.height / 2;
  };

  const laneColor = (lane: number) => hostColor(layout.lanes[lane] ?? '');
  if (scene.dense) {
    const { grid, bundles, selectedColumn } = scene.dense;
    drawBundles(ctx, bundles, bands, left);
    drawDensity(ctx, grid, bands, left, laneColor);
    const band = bands[layout.lane[scene.selected] ?? -1];
    if (selectedColumn !== null && band) drawSelectedColumn(ctx, grid, selectedColumn, band, left, AXIS_HEIGHT, height);
  } else {
    drawDetail(ctx, scene, typeOf, centre, laneColor);
    drawSelected(ctx, scene, centre);
  }
  drawOverlay(ctx, scene);
  drawLabels(ctx, bands, height, left, laneColor);
}

function drawDetail(ctx: CanvasRenderingContext2D, scene: Scene, typeOf: (i: number) => number, centre: (i: number) => number, laneColor: (lane: number) => string): void {
  const { layout, bands, viewport: v } = scene;
  const [x0, x1] = visibleSpan(v);
  // Happened-before arrows.
  const edges = visibleEdges(layout, x0, x1);
  ctx.lineWidth = 1;
  for (const pass of [0, 1]) {
    ctx.strokeStyle = pass ? '#0f172a' : 'rgba(100, 116, 139, 0.35)';
    ctx.beginPath();
    for (let n = 0; n < edges.length && n < MAX_EDGES; n++) {
      const k = edges[n]!;
      const a = layout.edgeFrom[k]!;
      const b = layout.edgeTo[k]!;
      const lit = scene.cone !== null && scene.cone[a] !== CONE.concurrent && scene.cone[b] !== CONE.concurrent && !dimmed(scene, a) && !dimmed(scene, b);
      if ((pass === 1) !== lit) continue;
      const ax = toPx(v, layout.x[a]!);
      const ay = centre(a);
      const bx = toPx(v, layout.x[b]!);
      const by = centre(b);
      ctx.moveTo(ax, ay);
      ctx.lineTo(bx, by);
      if (edges.length < 2000) {
        const angle = Math.atan2(by - ay, bx - ax);
        ctx.moveTo(bx, by);
        ctx.lineTo(bx - 7 * Math.cos(angle - 0.4), by - 7 * Math.sin(angle - 0.4));
        ctx.moveTo(bx, by);
        ctx.lineTo(bx - 7 * Math.cos(angle + 0.4), by - 7 * Math.sin(angle + 0.4));
      }
    }
    ctx.stroke();
  }

  // Event marks, grouped by colour and emphasis; one per pixel column of a lane.
  const { start, end } = visibleEvents(layout, x0, x1);
  const lastPx = new Float64Array(bands.length).fill(-Infinity);
  const groups = new Map<string, number[]>();
  for (let k = start; k < end; k++) {
    const i = layout.order[k]!;
    const lane = layout.lane[i]!;
    if (scene.runs?.inRun[i] && i !== scene.selected) continue;
    const px = Math.round(toPx(v, layout.x[i]!));
    if (px === lastPx[lane] && i !== scene.selected) continue;
    lastPx[lane] = px;
    const cone = scene.cone?.[i] ?? CONE.none;
    const key = `${scene.byHost ? -1 - lane : typeOf(i)}|${dimmed(scene, i) ? 0 : 1}|${cone === CONE.past || cone === CONE.future ? cone : 0}`;
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  }
  for (const [key, list] of groups) {
    const [type, bright, cone] = key.split('|').map(Number) as [number, number, number];
    ctx.globalAlpha = bright ? 1 : 0.15;
    ctx.fillStyle = type < 0 ? laneColor(-1 - type) : typeColor(scene.types[type] ?? '');
    ctx.beginPath();
    for (const i of list) {
      const band = bands[layout.lane[i]!]!;
      const r = band.collapsed ? 2 : 5;
      ctx.rect(toPx(v, layout.x[i]!) - r, centre(i) - r, 2 * r, 2 * r);
    }
    ctx.fill();
    if (cone === CONE.past || cone === CONE.future) {
      ctx.strokeStyle = cone === CONE.past ? '#2563eb' : '#ea580c';
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.lineWidth = 1;
    }
  }
  ctx.globalAlpha = 1;
  if (scene.runs) drawRuns(ctx, scene.runs.runs, scene, centre, laneColor);
}

/** Each run of local events as one pill from its first to its last event, with its count. */
function drawRuns(ctx: CanvasRenderingContext2D, runs: readonly LocalRun[], scene: Scene, centre: (i: number) => number, laneColor: (lane: number) => string): void {
  const v = scene.viewport;
  const [x0, x1] = visibleSpan(v);
  ctx.font = '10px system-ui, sans-serif';
  for (const r of runs) {
    if (r.to < x0 || r.from > x1) continue;
    const a = toPx(v, r.from) - 5;
    const w = Math.max(10, toPx(v, r.to) - toPx(v, r.from) + 10);
    const y = centre(r.events[0]!);
    ctx.fillStyle = laneColor(r.lane);
    ctx.globalAlpha = 0.35;
    ctx.fillRect(a, y - 5, w, 10);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = laneColor(r.lane);
    ctx.strokeRect(a, y - 5, w, 10);
    ctx.fillStyle = '#0f172a';
    ctx.fillText(`×${r.count}`, a + w + 2, y + 4);
  }
}

function drawSelected(ctx: CanvasRenderingContext2D, scene: Scene, centre: (i: number) => number): void {
  const { layout, viewport: v } = scene;
  if (scene.selected >= 0 && layout.lane[scene.selected]! >= 0) {
    const px = toPx(v, layout.x[scene.selected]!);
    ctx.strokeStyle = '#dc2626';
    ctx.lineWidth = 2;
    ctx.strokeRect(px - 8, centre(scene.selected) - 8, 16, 16);
    ctx.lineWidth = 1;
  }

}

/** Replay layer: hollow marks on the lanes of their processes. */
function drawOverlay(ctx: CanvasRenderingContext2D, scene: Scene): void {
  const { bands, viewport: v } = scene;
  const [x0, x1] = visibleSpan(v);
  if (scene.overlay) {
    const o = scene.overlay;
    const { start: s, end: e } = visibleEvents(o.layout, x0, x1);
    ctx.strokeStyle = '#7c3aed';
    ctx.beginPath();
    for (let k = s; k < e; k++) {
      const i = o.layout.order[k]!;
      const lane = o.laneOf[i]!;
      const band = bands[lane];
      if (!band) continue;
      ctx.rect(toPx(v, o.layout.x[i]!) - 4, band.top + band.height / 2 + 6, 8, 6);
    }
    ctx.stroke();
  }

}

/** Lane labels on top, each with its host's colour; names longer than the labels' width are cut here, whole on hover. */
function drawLabels(ctx: CanvasRenderingContext2D, bands: readonly LaneBand[], height: number, left: number, laneColor: (lane: number) => string): void {
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, left, height);
  ctx.fillStyle = '#0f172a';
  ctx.font = '12px system-ui, sans-serif';
  bands.forEach((band, lane) => {
    ctx.fillStyle = laneColor(lane);
    ctx.fillRect(2, band.top + 2, 3, band.height - 4);
    if (band.collapsed) return;
    ctx.fillStyle = '#0f172a';
    ctx.fillText(fittedLabel(ctx, band.process, left - 14), 9, band.top + band.height / 2 + 4);
  });
  ctx.strokeStyle = '#cbd5e1';
  ctx.beginPath();
  ctx.moveTo(left + 0.5, 0);
  ctx.lineTo(left + 0.5, height);
  ctx.stroke();
}

/** Labels as fitted, by width and text: every frame draws them, and the font never changes. */
const fitted = new Map<string, string>();

/** `text` as it fits in `width` pixels (in the labels' font): whole, or cut with an ellipsis. */
function fittedLabel(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  const key = `${width}|${text}`;
  const known = fitted.get(key);
  if (known !== undefined) return known;
  if (fitted.size > 5000) fitted.clear();
  const label = cutToFit(ctx, text, width);
  fitted.set(key, label);
  return label;
}

function cutToFit(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let lo = 0;
  let hi = text.length;
  // The longest prefix that fits with its ellipsis, by bisection: measuring is the costly part.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}
