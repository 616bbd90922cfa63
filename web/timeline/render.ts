/**
 * Drawing the diagram on a 2D canvas: lane bands and labels, the axis, happened-before arrows and event marks.
 * Only the visible window is drawn; marks that would land on the same pixel of a lane are drawn once, so a
 * frame costs at most (width × lanes) marks whatever the number of events.
 */
import type { LaneBand, TimelineLayout } from './layout.js';
import { CONE, visibleEdges, visibleEvents } from './layout.js';
import { AXIS_HEIGHT, LABEL_WIDTH, toPx, typeColor, visibleSpan, type Viewport } from './viewport.js';

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
}

const MAX_EDGES = 20_000;

function dimmed(scene: Scene, i: number): boolean {
  if (!scene.mask[i]) return true;
  return scene.cone !== null && scene.cone[i] === CONE.concurrent;
}

function formatTick(layout: TimelineLayout, value: number): string {
  if (layout.axis === 'causal') return String(Math.round(value));
  return new Date(layout.origin + value).toISOString().slice(11, 23);
}

export function drawScene(ctx: CanvasRenderingContext2D, scene: Scene, typeOf: (i: number) => number): void {
  const { layout, bands, viewport: v, height } = scene;
  const width = LABEL_WIDTH + v.width;
  ctx.clearRect(0, 0, width, height);

  // Lanes.
  bands.forEach((band, k) => {
    ctx.fillStyle = k % 2 ? '#f8fafc' : '#ffffff';
    ctx.fillRect(0, band.top, width, band.height);
    ctx.strokeStyle = '#e2e8f0';
    ctx.beginPath();
    ctx.moveTo(LABEL_WIDTH, band.top + band.height / 2);
    ctx.lineTo(width, band.top + band.height / 2);
    ctx.stroke();
  });

  // Axis ticks.
  const [x0, x1] = visibleSpan(v);
  const step = niceStep((x1 - x0) / Math.max(2, v.width / 140));
  ctx.fillStyle = '#64748b';
  ctx.font = '11px system-ui, sans-serif';
  ctx.strokeStyle = '#f1f5f9';
  for (let t = Math.ceil(x0 / step) * step; t <= x1; t += step) {
    const px = toPx(v, t);
    ctx.fillText(formatTick(layout, t), px + 2, 14);
    ctx.beginPath();
    ctx.moveTo(px, AXIS_HEIGHT);
    ctx.lineTo(px, height);
    ctx.stroke();
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
    const px = Math.round(toPx(v, layout.x[i]!));
    if (px === lastPx[lane] && i !== scene.selected) continue;
    lastPx[lane] = px;
    const cone = scene.cone?.[i] ?? CONE.none;
    const key = `${typeOf(i)}|${dimmed(scene, i) ? 0 : 1}|${cone === CONE.past || cone === CONE.future ? cone : 0}`;
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  }
  for (const [key, list] of groups) {
    const [type, bright, cone] = key.split('|').map(Number) as [number, number, number];
    ctx.globalAlpha = bright ? 1 : 0.15;
    ctx.fillStyle = typeColor(scene.types[type] ?? '');
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

  if (scene.selected >= 0 && layout.lane[scene.selected]! >= 0) {
    const px = toPx(v, layout.x[scene.selected]!);
    ctx.strokeStyle = '#dc2626';
    ctx.lineWidth = 2;
    ctx.strokeRect(px - 8, centre(scene.selected) - 8, 16, 16);
    ctx.lineWidth = 1;
  }

  // Replay layer: hollow marks on the lanes of their processes.
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

  // Labels on top.
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, LABEL_WIDTH, height);
  ctx.fillStyle = '#0f172a';
  ctx.font = '12px system-ui, sans-serif';
  for (const band of bands) {
    if (band.collapsed) continue;
    const label = band.process.length > 22 ? `${band.process.slice(0, 21)}…` : band.process;
    ctx.fillText(label, 6, band.top + band.height / 2 + 4);
  }
  ctx.strokeStyle = '#cbd5e1';
  ctx.beginPath();
  ctx.moveTo(LABEL_WIDTH + 0.5, 0);
  ctx.lineTo(LABEL_WIDTH + 0.5, height);
  ctx.stroke();
}

function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}
