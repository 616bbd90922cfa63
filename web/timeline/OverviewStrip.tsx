/**
 * The overview strip above the diagram: every event of the store, counted per host and slice of time by the server
 * (`GET /api/timeline/density`), stacked in the hosts' colours; the part the diagram holds is shaded, and the view
 * is a brush on it. Drag across the strip to show that range; click to centre the view there. In causal order it
 * counts the diagram's events along their causal range instead (`local`, overview.ts), and the brush is in causal
 * steps. Sets the performance mark `timeline:overview-painted` the first time it draws the store's counts.
 */
import { useEffect, useRef, useState, type PointerEvent } from 'react';
import type { TimelineDensity } from '../../shared/timeline-density.js';
import { describeError } from '../api/client.js';
import { loadDensity } from './api.js';
import { OVERVIEW_PAINTED_MARK } from './marks.js';
import { hostColor } from './viewport.js';

export interface OverviewStripProps {
  /** Changes when the store may hold other events (an import, a reload): counted again. */
  refreshKey: number;
  /** The diagram's view and the events it holds, in the strip's units (epoch ms; causal steps with `local`). */
  view: [number, number] | null;
  loaded: [number, number] | null;
  /** Counts drawn instead of the store's (the causal axis): the strip's range and units are theirs. */
  local?: TimelineDensity | null;
  onShow(from: number, to: number): void;
}

const HEIGHT = 44;

export function OverviewStrip({ refreshKey, view, loaded, local = null, onShow }: OverviewStripProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [stored, setDensity] = useState<TimelineDensity | null>(null);
  const density = local ?? stored;
  const [problem, setProblem] = useState<string | null>(null);
  const painted = useRef(false);
  const drag = useRef<{ startPx: number; px: number } | null>(null);
  const [, redraw] = useState(0);

  useEffect(() => {
    let current = true;
    const width = Math.max(100, Math.round(ref.current?.clientWidth ?? 800));
    loadDensity(Math.min(4000, Math.ceil(width / 2)))
      .then((d) => current && setDensity(d))
      .catch((e: unknown) => current && setProblem(describeError(e)));
    return () => {
      current = false;
    };
  }, [refreshKey]);

  const width = ref.current?.clientWidth ?? 800;
  const msAt = (px: number) => (density ? density.from + (px / width) * (density.to + 1 - density.from) : 0);
  const pxAt = (ms: number) => (density ? ((ms - density.from) / (density.to + 1 - density.from)) * width : 0);

  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(HEIGHT * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, HEIGHT);
    if (!density || density.total === 0) return;
    const buckets = density.lanes[0]?.counts.length ?? 0;
    const totals = new Float64Array(buckets);
    for (const lane of density.lanes) lane.counts.forEach((c, k) => (totals[k] = totals[k]! + c));
    const max = Math.max(1, ...totals);
    const w = width / buckets;
    if (loaded) {
      ctx.fillStyle = '#f1f5f9';
      ctx.fillRect(pxAt(loaded[0]), 0, Math.max(2, pxAt(loaded[1]) - pxAt(loaded[0])), HEIGHT);
    }
    const base = new Float64Array(buckets);
    for (const lane of density.lanes) {
      ctx.fillStyle = hostColor(lane.process);
      ctx.beginPath();
      lane.counts.forEach((c, k) => {
        if (c === 0) return;
        // Heights by log of the column's total, shared among its hosts by their counts.
        const column = ((HEIGHT - 4) * Math.log1p(totals[k]!)) / Math.log1p(max);
        const h = (column * c) / totals[k]!;
        ctx.rect(k * w, HEIGHT - base[k]! - h, Math.max(1, w), h);
        base[k] = base[k]! + h;
      });
      ctx.fill();
    }
    const range = drag.current ? [drag.current.startPx, drag.current.px] : view ? [pxAt(view[0]), pxAt(view[1])] : null;
    if (range) {
      const [a, b] = [Math.min(range[0]!, range[1]!), Math.max(range[0]!, range[1]!)];
      ctx.fillStyle = 'rgba(99, 102, 241, 0.15)';
      ctx.fillRect(a, 0, Math.max(2, b - a), HEIGHT);
      ctx.strokeStyle = '#6366f1';
      ctx.strokeRect(a + 0.5, 0.5, Math.max(2, b - a) - 1, HEIGHT - 1);
    }
    canvas.dataset.events = String(density.total);
    canvas.dataset.axis = local ? 'causal' : 'time';
    canvas.dataset.view = range ? `${Math.round(msAt(Math.min(range[0]!, range[1]!)))}..${Math.round(msAt(Math.max(range[0]!, range[1]!)))}` : '';
    if (!painted.current && !local) {
      painted.current = true;
      performance.mark(OVERVIEW_PAINTED_MARK, { detail: { events: density.total } });
    }
  });

  const localX = (e: { clientX: number }) => e.clientX - (ref.current?.getBoundingClientRect().left ?? 0);
  const onPointerDown = (e: PointerEvent<HTMLCanvasElement>) => {
    ref.current?.setPointerCapture(e.pointerId);
    drag.current = { startPx: localX(e), px: localX(e) };
  };
  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    if (!drag.current) return;
    drag.current.px = localX(e);
    redraw((n) => n + 1);
  };
  const onPointerUp = () => {
    const d = drag.current;
    drag.current = null;
    if (!d || !density) return;
    if (Math.abs(d.px - d.startPx) > 3) onShow(msAt(Math.min(d.startPx, d.px)), msAt(Math.max(d.startPx, d.px)));
    else if (view) {
      const half = (view[1] - view[0]) / 2;
      onShow(msAt(d.px) - half, msAt(d.px) + half);
    }
    redraw((n) => n + 1);
  };

  return (
    <canvas
      ref={ref}
      className="timeline-overview"
      role="img"
      aria-label={
        density
          ? `Overview${local ? ' in causal order' : ''}: ${density.total} events of ${density.lanes.length} hosts; drag to show a range`
          : problem
            ? `Overview: ${problem}`
            : 'Overview: counting…'
      }

      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
    />
  );
}
