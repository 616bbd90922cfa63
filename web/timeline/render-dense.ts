/**
 * Drawing the diagram zoomed out: each lane's density as a column of shade per pixel column (log count, so a lone
 * event still shows beside a burst), and the happened-before arrows bundled, a bundle's width and label giving its
 * count. With an event selected, the cells holding its causal past are drawn in the past's blue, those holding its
 * future in the future's orange, the others faint (as concurrent events are dimmed), and the selection's column is
 * marked across every lane. One fill per lane, kind and shade level, and one stroke per width class, whatever the
 * number of events.
 */
import type { Bundle } from './bundles.js';
import { CELL_CONE, shadeOf, type DensityGrid } from './density.js';
import type { LaneBand } from './layout.js';

export const PAST_COLOUR = '#2563eb';
export const FUTURE_COLOUR = '#ea580c';
export const SELECTED_COLOUR = '#dc2626';
/** How faint the cells outside a selection's cone are. */
const OTHER_ALPHA = 0.25;

export function drawDensity(ctx: CanvasRenderingContext2D, grid: DensityGrid, bands: readonly LaneBand[], left: number, colorOf: (lane: number) => string): void {
  const levels = 8;
  const kinds = grid.cone ? [CELL_CONE.other, CELL_CONE.past, CELL_CONE.future] : [CELL_CONE.other];
  for (let lane = 0; lane < grid.lanes; lane++) {
    const band = bands[lane];
    if (!band) continue;
    const full = band.collapsed ? band.height - 2 : band.height - 8;
    for (const kind of kinds) {
      ctx.fillStyle = kind === CELL_CONE.past ? PAST_COLOUR : kind === CELL_CONE.future ? FUTURE_COLOUR : colorOf(lane);
      const faint = grid.cone && kind === CELL_CONE.other ? OTHER_ALPHA : 1;
      // Cells grouped by shade level, one path per level.
      for (let level = 1; level <= levels; level++) {
        ctx.globalAlpha = (faint * level) / levels;
        ctx.beginPath();
        let any = false;
        for (let c = 0; c < grid.columns; c++) {
          const cell = lane * grid.columns + c;
          const count = grid.counts[cell]!;
          if (count === 0 || (grid.cone && grid.cone[cell] !== kind)) continue;
          const shade = shadeOf(count, grid.max);
          if (Math.ceil(shade * levels) !== level) continue;
          const h = Math.max(2, full * shade);
          ctx.rect(left + c * grid.columnPx, band.top + (band.height - h) / 2, grid.columnPx, h);
          any = true;
        }
        if (any) ctx.fill();
      }
    }
  }
  ctx.globalAlpha = 1;
}

/** The selected event's pixel column marked across every lane, and its cell ringed on its own lane. */
export function drawSelectedColumn(ctx: CanvasRenderingContext2D, grid: DensityGrid, column: number, band: LaneBand, left: number, top: number, bottom: number): void {
  const x = left + column * grid.columnPx;
  ctx.fillStyle = SELECTED_COLOUR;
  ctx.globalAlpha = 0.5;
  ctx.fillRect(x, top, grid.columnPx, bottom - top);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = SELECTED_COLOUR;
  ctx.lineWidth = 2;
  ctx.strokeRect(x - 3, band.top + 1, grid.columnPx + 6, band.height - 2);
  ctx.lineWidth = 1;
}

export function drawBundles(ctx: CanvasRenderingContext2D, bundles: readonly Bundle[], bands: readonly LaneBand[], left: number): void {
  const centre = (lane: number) => bands[lane]!.top + bands[lane]!.height / 2;
  const widthOf = (count: number) => Math.min(6, 1 + Math.floor(Math.log2(count)));
  const byWidth = new Map<number, Bundle[]>();
  for (const b of bundles) {
    if (!bands[b.fromLane] || !bands[b.toLane]) continue;
    const w = widthOf(b.count);
    const list = byWidth.get(w);
    if (list) list.push(b);
    else byWidth.set(w, [b]);
  }
  ctx.strokeStyle = 'rgba(51, 65, 85, 0.45)';
  for (const [w, list] of byWidth) {
    ctx.lineWidth = w;
    ctx.beginPath();
    for (const b of list) {
      ctx.moveTo(left + b.fromPx, centre(b.fromLane));
      ctx.lineTo(left + b.toPx, centre(b.toLane));
    }
    ctx.stroke();
  }
  ctx.lineWidth = 1;
  ctx.fillStyle = '#334155';
  ctx.font = '10px system-ui, sans-serif';
  for (const b of bundles) {
    if (b.count < 2 || !bands[b.fromLane] || !bands[b.toLane]) continue;
    ctx.fillText(String(b.count), left + (b.fromPx + b.toPx) / 2 + 3, (centre(b.fromLane) + centre(b.toLane)) / 2);
  }
}
