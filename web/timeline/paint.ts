/**
 * One frame of the diagram: sizes both canvases to the device's pixels, decides between events one by one and the
 * density view (density.ts), draws the scene (render.ts), the search's rings and the pinned axis, and says what it
 * drew on the canvases' data attributes (`data-mode`, `data-bundles`, `data-selected-column`, `data-dense-past`,
 * `data-dense-future`, the axis's `data-ticks`), which the browser tests read.
 */
import { bundleEdges } from './bundles.js';
import { coneCells, densityGrid, isCrowded, type DensityGrid } from './density.js';
import { drawHighlight, type Highlight } from './highlight.js';
import type { CompressedAxis } from './idle-gaps.js';
import { visibleEdges, type LaneBand, type TimelineLayout } from './layout.js';
import { axisTicks, drawAxis } from './render-axis.js';
import { drawScene, type Scene } from './render.js';
import { AXIS_HEIGHT, labelWidthOf, toPx, type Viewport } from './viewport.js';

/** Zoomed out, cells of this many pixels. */
export const DENSITY_COLUMN_PX = 2;

export interface Frame {
  layout: TimelineLayout;
  bands: LaneBand[];
  viewport: Viewport;
  height: number;
  types: readonly string[];
  typeIndex: Int32Array;
  cone: Uint8Array | null;
  mask: Uint8Array;
  selected: number;
  brush: [number, number] | null;
  overlay: Scene['overlay'];
  highlight: Highlight | null;
  compressed: CompressedAxis | null;
  runs: Scene['runs'];
  byHost: boolean;
}

function sized(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

/** The pixel column of the plot holding the selected event, or null when it is hidden or out of view. */
function selectedColumnOf(f: Frame, grid: DensityGrid): number | null {
  if (f.selected < 0 || (f.layout.lane[f.selected] ?? -1) < 0) return null;
  const offset = toPx(f.viewport, f.layout.x[f.selected]!) - labelWidthOf(f.viewport);
  if (offset < 0 || offset > f.viewport.width) return null;
  return Math.min(grid.columns - 1, Math.floor(offset / grid.columnPx));
}

/** Draws the frame; the density grid when the view is crowded (for the counts on hover), else null. */
export function paintFrame(canvas: HTMLCanvasElement, axisCanvas: HTMLCanvasElement | null, f: Frame): DensityGrid | null {
  const { layout, viewport: v } = f;
  const width = labelWidthOf(v) + v.width;
  const ctx = sized(canvas, width, f.height);
  if (!ctx) return null;
  const ticks = axisTicks(layout.axis, layout.origin, v, f.compressed);
  const counted = densityGrid(layout, v, DENSITY_COLUMN_PX, f.cone);
  const crowded = isCrowded(counted);
  canvas.dataset.mode = crowded ? 'density' : 'events';
  const [x0, x1] = [v.x0, v.x0 + v.width / v.scale];
  const dense = crowded ? { grid: counted, bundles: bundleEdges(layout, visibleEdges(layout, x0, x1), v), selectedColumn: selectedColumnOf(f, counted) } : null;
  canvas.dataset.bundles = String(dense?.bundles.length ?? 0);
  const cells = dense ? coneCells(counted) : null;
  canvas.dataset.selectedColumn = dense?.selectedColumn == null ? '' : String(dense.selectedColumn);
  canvas.dataset.densePast = String(cells?.past ?? 0);
  canvas.dataset.denseFuture = String(cells?.future ?? 0);
  const breaks = f.compressed ? f.compressed.gaps.map((g) => f.compressed!.map(g.from) + f.compressed!.threshold / 2) : [];
  const typeIndex = f.typeIndex;
  drawScene(
    ctx,
    {
      layout, bands: f.bands, viewport: v, types: f.types, cone: f.cone, mask: f.mask, selected: f.selected, brush: f.brush, height: f.height, overlay: f.overlay,
      ticks, dense, runs: f.runs, byHost: f.byHost, breaks,
    },
    (i) => typeIndex[i] ?? 0,
  );
  if (f.highlight) drawHighlight(ctx, layout, f.bands, v, f.highlight);
  const axisCtx = axisCanvas ? sized(axisCanvas, width, AXIS_HEIGHT) : null;
  if (axisCanvas && axisCtx) {
    drawAxis(axisCtx, ticks, v, labelWidthOf(v), f.compressed);
    axisCanvas.dataset.ticks = ticks.map((t) => t.label).join('\n');
  }
  canvas.dataset.painted = String(performance.now());
  return crowded ? counted : null;
}
