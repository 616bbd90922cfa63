/**
 * The axis pinned above the lanes: round ticks with dates (ticks.ts) and, with idle time compressed, a break mark
 * where each long gap was cut out. Ticks are computed on the real time of each stretch between breaks and placed
 * through the compressed axis.
 */
import type { CompressedAxis } from './idle-gaps.js';
import type { Axis } from './layout.js';
import { causalTicks, timeTicks, type Tick } from './ticks.js';
import { AXIS_HEIGHT, toPx, visibleSpan, type Viewport } from './viewport.js';

/** Ticks of the visible span as axis values (compressed where idle time is compressed), with their labels. */
export function axisTicks(axis: Axis, origin: number, v: Viewport, compressed: CompressedAxis | null): Tick[] {
  const [x0, x1] = visibleSpan(v);
  if (axis === 'causal') return causalTicks(x0, x1, v.width);
  if (!compressed || compressed.gaps.length === 0) return timeTicks(origin + x0, origin + x1, v.width).map((t) => ({ ...t, at: t.at - origin }));
  // Stretches between breaks, each ticked on its own real time.
  const cuts = compressed.gaps.map((g) => compressed.map(g.from) + compressed.threshold / 2).filter((c) => c > x0 && c < x1);
  const edges = [x0, ...cuts, x1];
  const out: Tick[] = [];
  for (let k = 0; k + 1 < edges.length; k++) {
    const [a, b] = [edges[k]!, edges[k + 1]!];
    const width = (b - a) * v.scale;
    if (width < 60) continue;
    for (const t of timeTicks(origin + compressed.unmap(a), origin + compressed.unmap(b), width)) out.push({ ...t, at: compressed.map(t.at - origin) });
  }
  return out;
}

export function drawAxis(ctx: CanvasRenderingContext2D, ticks: readonly Tick[], v: Viewport, left: number, compressed: CompressedAxis | null): void {
  const width = left + v.width;
  ctx.clearRect(0, 0, width, AXIS_HEIGHT);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, AXIS_HEIGHT);
  ctx.font = '11px system-ui, sans-serif';
  for (const t of ticks) {
    const px = toPx(v, t.at);
    if (px < left) continue;
    ctx.fillStyle = t.major ? '#0f172a' : '#64748b';
    ctx.fillRect(px, AXIS_HEIGHT - (t.major ? 8 : 5), 1, t.major ? 8 : 5);
    ctx.fillText(t.label, px + 3, 13);
  }
  if (compressed) {
    ctx.strokeStyle = '#94a3b8';
    for (const g of compressed.gaps) {
      const px = toPx(v, compressed.map(g.from) + compressed.threshold / 2);
      if (px < left || px > width) continue;
      ctx.beginPath();
      ctx.moveTo(px - 4, AXIS_HEIGHT);
      ctx.lineTo(px - 1, 2);
      ctx.moveTo(px + 1, AXIS_HEIGHT);
      ctx.lineTo(px + 4, 2);
      ctx.stroke();
    }
  }
  ctx.fillStyle = '#cbd5e1';
  ctx.fillRect(0, AXIS_HEIGHT - 1, width, 1);
}
