/**
 * The structured search's matches on the diagram: a ring around each matched event in view, a thicker one around
 * the events of the current match, drawn over the scene (render.ts) so the diagram's own drawing is untouched.
 */
import { visibleEvents, type LaneBand, type TimelineLayout } from './layout.js';
import { toPx, visibleSpan, type Viewport } from './viewport.js';

/** Events to ring: 1 for a match, 2 for the current match. */
export type Highlight = Uint8Array;

/** The highlight of the loaded events, from the matches' positions; null when nothing is searched. */
export function highlightOf(positions: readonly number[], matches: readonly (readonly number[])[] | null, current: number): Highlight | null {
  if (!matches) return null;
  const index = new Map<number, number>();
  positions.forEach((p, i) => index.set(p, i));
  const out = new Uint8Array(positions.length);
  for (const match of matches) for (const p of match) {
    const i = index.get(p);
    if (i !== undefined) out[i] = 1;
  }
  for (const p of matches[current] ?? []) {
    const i = index.get(p);
    if (i !== undefined) out[i] = 2;
  }
  return out;
}

export function drawHighlight(ctx: CanvasRenderingContext2D, layout: TimelineLayout, bands: readonly LaneBand[], v: Viewport, highlight: Highlight): void {
  const [x0, x1] = visibleSpan(v);
  const { start, end } = visibleEvents(layout, x0, x1);
  for (const level of [1, 2]) {
    ctx.strokeStyle = level === 2 ? '#c026d3' : '#a21caf';
    ctx.lineWidth = level === 2 ? 3 : 1.5;
    ctx.beginPath();
    for (let k = start; k < end; k++) {
      const i = layout.order[k]!;
      if (highlight[i] !== level) continue;
      const band = bands[layout.lane[i]!];
      if (!band) continue;
      const px = toPx(v, layout.x[i]!);
      const py = band.top + band.height / 2;
      const r = level === 2 ? 10 : 8;
      ctx.moveTo(px + r, py);
      ctx.arc(px, py, r, 0, Math.PI * 2);
    }
    ctx.stroke();
  }
  ctx.lineWidth = 1;
}
