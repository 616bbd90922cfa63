/**
 * Zoomed out, a lane is drawn as its density: the events of each column of pixels counted per lane, so a lane
 * reads as busy or idle instead of as a solid bar. With an event selected, each cell also says whether it holds
 * some of the selection's causal past or future, so the highlight reads zoomed out too. Counting touches only the
 * visible window's events. Pure.
 */
import { CONE, visibleEvents, type TimelineLayout } from './layout.js';

export interface DensityGrid {
  /** Columns across the plot, each `columnPx` wide; column c starts at axis value x0 + c · columnPx / scale. */
  columns: number;
  columnPx: number;
  lanes: number;
  /** counts[lane * columns + column]. */
  counts: Uint32Array;
  /** The largest count of a cell. */
  max: number;
  /** Events counted. */
  events: number;
  /** Cells holding at least one event. */
  occupied: number;
  /** With a causal cone: per cell, CELL_CONE.past when it holds some of the past, else .future, else .other. */
  cone: Uint8Array | null;
}

/** What a cell holds of a selection's cone: past wins over future (a cell holds both only when zoomed far out). */
export const CELL_CONE = { empty: 0, other: 1, past: 2, future: 3 } as const;

/** The visible events counted per lane and column of `columnPx` pixels; with `cone` (CONE.* per event), its cells. */
export function densityGrid(layout: TimelineLayout, view: { x0: number; scale: number; width: number }, columnPx = 2, cone: Uint8Array | null = null): DensityGrid {
  const columns = Math.max(1, Math.ceil(view.width / columnPx));
  const lanes = layout.lanes.length;
  const counts = new Uint32Array(lanes * columns);
  const cells = cone ? new Uint8Array(lanes * columns) : null;
  const { start, end } = visibleEvents(layout, view.x0, view.x0 + view.width / view.scale);
  let max = 0;
  let occupied = 0;
  for (let k = start; k < end; k++) {
    const i = layout.order[k]!;
    const lane = layout.lane[i]!;
    const column = Math.min(columns - 1, Math.floor(((layout.orderX[k]! - view.x0) * view.scale) / columnPx));
    const cell = lane * columns + column;
    const n = ++counts[cell]!;
    if (n === 1) occupied++;
    if (n > max) max = n;
    if (cells) {
      const mark = cone![i];
      const kind = mark === CONE.past ? CELL_CONE.past : mark === CONE.future ? CELL_CONE.future : CELL_CONE.other;
      if (kind === CELL_CONE.past || cells[cell] === CELL_CONE.empty || (kind === CELL_CONE.future && cells[cell] === CELL_CONE.other)) cells[cell] = kind;
    }
  }
  return { columns, columnPx, lanes, counts, max, events: end - start, occupied, cone: cells };
}

/**
 * Whether marks would pile up: on average more than `perMark` events share the width of one mark (`markPx`) on a
 * lane. Below it each event gets its own mark.
 */
export function isCrowded(grid: DensityGrid, markPx = 8, perMark = 1.5): boolean {
  if (grid.events === 0) return false;
  const group = Math.max(1, Math.round(markPx / grid.columnPx));
  let occupied = 0;
  for (let lane = 0; lane < grid.lanes; lane++) {
    for (let c = 0; c < grid.columns; c += group) {
      let any = false;
      for (let k = c; k < c + group && k < grid.columns && !any; k++) any = grid.counts[lane * grid.columns + k]! > 0;
      if (any) occupied++;
    }
  }
  return grid.events / occupied > perMark;
}

/** How many cells hold some of the past, and some of the future (none without a cone). */
export function coneCells(grid: DensityGrid): { past: number; future: number } {
  let past = 0;
  let future = 0;
  for (const c of grid.cone ?? []) {
    if (c === CELL_CONE.past) past++;
    else if (c === CELL_CONE.future) future++;
  }
  return { past, future };
}

/** The count of a lane's column under a pixel offset into the plot. */
export function countAt(grid: DensityGrid, lane: number, offsetPx: number): { column: number; count: number } {
  const column = Math.max(0, Math.min(grid.columns - 1, Math.floor(offsetPx / grid.columnPx)));
  return { column, count: lane >= 0 && lane < grid.lanes ? grid.counts[lane * grid.columns + column]! : 0 };
}

/** The share of a cell's shade, by log count so a lone event still shows next to a burst. */
export const shadeOf = (count: number, max: number): number => (count === 0 ? 0 : 0.15 + (0.85 * Math.log1p(count)) / Math.log1p(Math.max(1, max)));
