/**
 * The diagram's canvas: draws the scene on animation frames, pans on drag, brushes a range on shift-drag, selects
 * the event under a click, and brings an event into view when asked (a link naming it). The wheel scrolls the
 * lanes under an axis pinned above them; Ctrl+wheel or a pinch zooms (useWheelGestures.ts); the view never leaves
 * the data. Zoomed out, lanes show their density (counts on hover) and arrows are bundled. Hovering a lane's label
 * shows its whole name. Keyboard: ←/→ select the previous/next event, +/− zoom, F fit.
 * The first frame that shows events sets the performance mark `timeline:events-painted`.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { bundleEdges } from './bundles.js';
import { countAt, densityGrid, isCrowded, type DensityGrid } from './density.js';
import { drawHighlight, type Highlight } from './highlight.js';
import type { CompressedAxis } from './idle-gaps.js';
import { CONE, visibleEdges, visibleEvents, type TimelineLayout } from './layout.js';
import type { LocalRun } from './local-runs.js';
import { EVENTS_PAINTED_MARK } from './marks.js';
import { axisTicks, drawAxis } from './render-axis.js';
import { drawScene, type Scene } from './render.js';
import { timeLabel } from './ticks.js';
import { useWheelGestures } from './useWheelGestures.js';
import { AXIS_HEIGHT, bandsOf, centreOn, clampView, eventAt, fit, inView, LABEL_WIDTH, pan, showRange, toPx, toX, zoomAt, type Viewport } from './viewport.js';

/** How much of the axis shows around an event brought into view, at most: a minute, or sixty causal steps. */
const FOCUS_SPAN = { time: 60_000, causal: 60 } as const;

export interface TimelineCanvasProps {
  layout: TimelineLayout;
  collapsed: ReadonlySet<string>;
  types: readonly string[];
  typeIndex: Int32Array;
  cone: Uint8Array | null;
  mask: Uint8Array;
  selected: number;
  brush: [number, number] | null;
  overlay?: Scene['overlay'];
  /** Search matches to ring (highlight.ts), or null. */
  highlight?: Highlight | null;
  /** While it changes (older pages arriving), the view fits everything again, until the user pans or zooms. */
  followKey?: number;
  /** An event to bring into view (centred, its lane scrolled to); again each time `key` changes. */
  focus?: { index: number; key: number } | null;
  onSelect(index: number): void;
  onBrush(range: [number, number] | null): void;
  /** With idle time compressed: the mapping the layout's x went through (for the axis's real times). */
  compressed?: CompressedAxis | null;
  /** Runs of local events to draw as one mark each. */
  runs?: { runs: LocalRun[]; inRun: Uint8Array } | null;
  /** One colour per host (default) or per event type. */
  byHost?: boolean;
  /** Asked of the view from outside (the fit buttons, the overview's brush); again each time `key` changes. */
  command?: ViewCommand | null;
  /** The view after each change (for the overview's brush). */
  onView?(v: Viewport): void;
}

export type ViewAsk = { kind: 'fit-all' } | { kind: 'show'; from: number; to: number };
export type ViewCommand = { key: number } & ViewAsk;

/** Zoomed out, cells of this many pixels. */
const DENSITY_COLUMN_PX = 2;

type Hover = { x: number; y: number; text: string } | null;

type Drag = { kind: 'pan' | 'brush'; startPx: number; lastPx: number; moved: boolean; pointerId: number };

export function TimelineCanvas(props: TimelineCanvasProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 800, height: 400 });
  const [viewport, setViewport] = useState<Viewport | null>(null);
  const drag = useRef<Drag | null>(null);
  const frame = useRef(0);
  const paintedEvents = useRef(false);
  const axisRef = useRef<HTMLCanvasElement>(null);
  const grid = useRef<DensityGrid | null>(null);
  const [hover, setHover] = useState<Hover>(null);
  const { layout } = props;
  const highlighted = useMemo(() => props.highlight?.reduce((n, h) => n + (h ? 1 : 0), 0), [props.highlight]);
  const bands = bandsOf(layout, props.collapsed);
  const plotWidth = Math.max(50, size.width - LABEL_WIDTH);
  const contentHeight = Math.max(size.height, (bands[bands.length - 1]?.top ?? 0) + (bands[bands.length - 1]?.height ?? 0) + 8);

  useEffect(() => {
    const wrap = wrapRef.current;
    if (!wrap) return;
    const observer = new ResizeObserver(() => setSize({ width: wrap.clientWidth, height: wrap.clientHeight }));
    observer.observe(wrap);
    setSize({ width: wrap.clientWidth, height: wrap.clientHeight });
    return () => observer.disconnect();
  }, []);

  // Fit when the axis changes or the first events arrive, and as older pages arrive until the user moves the
  // view; keep the view while live events stream in.
  const moved = useRef(false);
  const fitKey = `${layout.axis}|${layout.order.length > 0}`;
  useEffect(() => {
    moved.current = false;
    setViewport(fit(layout, plotWidth));
  }, [fitKey]);
  useEffect(() => {
    if (!moved.current) setViewport(fit(layout, plotWidth));
  }, [props.followKey]);
  const move = (next: Viewport) => {
    moved.current = true;
    setViewport(clampView(next, layout.extent));
  };

  const v: Viewport = viewport ? { ...viewport, width: plotWidth } : fit(layout, plotWidth);

  const commandKey = props.command?.key;
  useEffect(() => {
    const c = props.command;
    if (!c) return;
    if (c.kind === 'fit-all') {
      moved.current = false;
      setViewport(fit(layout, plotWidth));
    } else move(showRange(v, c.from, c.to, layout.extent));
  }, [commandKey]);
  const { onView } = props;
  useEffect(() => onView?.(v), [v.x0, v.scale, v.width, onView]);
  useWheelGestures(wrapRef, {
    zoom: (clientX, factor) => move(zoomAt(v, Math.max(LABEL_WIDTH, clientX - (canvasRef.current?.getBoundingClientRect().left ?? 0)), factor)),
    pan: (dpx) => move(pan(v, dpx)),
  });

  // After the fits above, so a focus asked for as the first events arrive is not fitted away.
  const focusKey = props.focus?.key;
  useEffect(() => {
    const index = props.focus?.index ?? -1;
    const x = index >= 0 ? layout.x[index] : undefined;
    if (x === undefined) return;
    move(centreOn(v, x, FOCUS_SPAN[layout.axis]));
    const band = bands[layout.lane[index] ?? -1];
    const wrap = wrapRef.current;
    if (band && wrap && (band.top < wrap.scrollTop || band.top + band.height > wrap.scrollTop + wrap.clientHeight)) {
      wrap.scrollTop = Math.max(0, band.top - wrap.clientHeight / 2);
    }
  }, [focusKey]);
  const [first, afterLast] = [toX(v, LABEL_WIDTH), toX(v, LABEL_WIDTH + plotWidth)];
  const { start: firstVisible, end: endVisible } = visibleEvents(layout, first, afterLast);
  const selectedX = props.selected >= 0 && (layout.lane[props.selected] ?? -1) >= 0 ? layout.x[props.selected] : undefined;

  useEffect(() => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const canvas = canvasRef.current;
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx) return;
      const ratio = window.devicePixelRatio || 1;
      const width = LABEL_WIDTH + plotWidth;
      if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(contentHeight * ratio)) {
        canvas.width = Math.round(width * ratio);
        canvas.height = Math.round(contentHeight * ratio);
        canvas.style.width = `${width}px`;
        canvas.style.height = `${contentHeight}px`;
      }
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      const typeIndex = props.typeIndex;
      const ticks = axisTicks(layout.axis, layout.origin, v, props.compressed ?? null);
      const counted = densityGrid(layout, v, DENSITY_COLUMN_PX);
      const crowded = isCrowded(counted);
      grid.current = crowded ? counted : null;
      canvas.dataset.mode = crowded ? 'density' : 'events';
      const [x0, x1] = [v.x0, v.x0 + v.width / v.scale];
      const dense = crowded ? { grid: counted, bundles: bundleEdges(layout, visibleEdges(layout, x0, x1), v) } : null;
      canvas.dataset.bundles = String(dense?.bundles.length ?? 0);
      const breaks = props.compressed ? props.compressed.gaps.map((g) => props.compressed!.map(g.from) + props.compressed!.threshold / 2) : [];
      drawScene(
        ctx,
        {
          layout, bands, viewport: v, types: props.types, cone: props.cone, mask: props.mask, selected: props.selected, brush: props.brush, height: contentHeight, overlay: props.overlay ?? null,
          ticks, dense, runs: props.runs ?? null, byHost: props.byHost ?? true, breaks,
        },
        (i) => typeIndex[i] ?? 0,
      );
      if (props.highlight) drawHighlight(ctx, layout, bands, v, props.highlight);
      const axisCanvas = axisRef.current;
      const axisCtx = axisCanvas?.getContext('2d');
      if (axisCanvas && axisCtx) {
        if (axisCanvas.width !== Math.round(width * ratio)) {
          axisCanvas.width = Math.round(width * ratio);
          axisCanvas.height = Math.round(AXIS_HEIGHT * ratio);
          axisCanvas.style.width = `${width}px`;
          axisCanvas.style.height = `${AXIS_HEIGHT}px`;
        }
        axisCtx.setTransform(ratio, 0, 0, ratio, 0, 0);
        drawAxis(axisCtx, ticks, v, LABEL_WIDTH, props.compressed ?? null);
        axisCanvas.dataset.ticks = ticks.map((t) => t.label).join('\n');
      }
      canvas.dataset.painted = String(performance.now());
      if (!paintedEvents.current && layout.order.length > 0) {
        paintedEvents.current = true;
        performance.mark(EVENTS_PAINTED_MARK, { detail: { events: layout.order.length } });
      }
    });
  });

  const localX = (e: { clientX: number }) => e.clientX - (canvasRef.current?.getBoundingClientRect().left ?? 0);
  const localY = (e: { clientY: number }) => e.clientY - (canvasRef.current?.getBoundingClientRect().top ?? 0);

  const onPointerDown = (e: PointerEvent<HTMLCanvasElement>) => {
    canvasRef.current?.setPointerCapture(e.pointerId);
    drag.current = { kind: e.shiftKey ? 'brush' : 'pan', startPx: localX(e), lastPx: localX(e), moved: false, pointerId: e.pointerId };
  };
  const hoverAt = (px: number, py: number) => {
    const lane = bands.findIndex((b) => py >= b.top && py < b.top + b.height);
    const band = bands[lane];
    if (!band) return setHover(null);
    if (px < LABEL_WIDTH) return setHover({ x: px, y: py, text: band.process });
    const g = grid.current;
    if (!g) return setHover(null);
    const { column, count } = countAt(g, lane, px - LABEL_WIDTH);
    const from = toX(v, LABEL_WIDTH + column * g.columnPx);
    const to = toX(v, LABEL_WIDTH + (column + 1) * g.columnPx);
    const span = layout.axis === 'time' && !props.compressed ? ` · ${timeLabel(layout.origin + from, to - from)}–${timeLabel(layout.origin + to, to - from)}` : '';
    setHover({ x: px, y: py, text: `${band.process}: ${count} event${count === 1 ? '' : 's'}${span}` });
  };
  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    if (!d) return hoverAt(localX(e), localY(e));
    setHover(null);
    const px = localX(e);
    if (Math.abs(px - d.startPx) > 3) d.moved = true;
    if (d.kind === 'pan') move(pan(v, px - d.lastPx));
    else if (d.moved) props.onBrush([toX(v, Math.max(LABEL_WIDTH, d.startPx)), toX(v, Math.max(LABEL_WIDTH, px))]);
    d.lastPx = px;
  };
  const onPointerUp = (e: PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    drag.current = null;
    if (!d || d.moved) return;
    props.onSelect(eventAt(layout, bands, v, localX(e), localY(e)));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const { order } = layout;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      if (order.length === 0) return;
      const at = props.selected >= 0 ? order.indexOf(props.selected) : -1;
      const next = e.key === 'ArrowRight' ? Math.min(order.length - 1, at + 1) : Math.max(0, at < 0 ? 0 : at - 1);
      const index = order[next]!;
      props.onSelect(index);
      const px = toPx(v, layout.x[index]!);
      if (px < LABEL_WIDTH || px > LABEL_WIDTH + plotWidth) move({ ...v, x0: layout.x[index]! - plotWidth / 2 / v.scale });
    } else if (e.key === '+' || e.key === '=') move(zoomAt(v, LABEL_WIDTH + plotWidth / 2, 1.5));
    else if (e.key === '-') move(zoomAt(v, LABEL_WIDTH + plotWidth / 2, 1 / 1.5));
    else if (e.key === 'f' || e.key === 'F') setViewport(fit(layout, plotWidth));
    else if (e.key === 'Escape') {
      props.onSelect(-1);
      props.onBrush(null);
    }
  };

  const cone = props.cone;
  let past = 0;
  let future = 0;
  if (cone) {
    for (let i = 0; i < cone.length; i++) {
      if (cone[i] === CONE.past) past++;
      else if (cone[i] === CONE.future) future++;
    }
  }

  return (
    <div className="timeline-canvas-wrap" ref={wrapRef}>
      <canvas ref={axisRef} className="timeline-axis" aria-hidden="true" />
      <canvas
        ref={canvasRef}
        className="timeline-canvas"
        tabIndex={0}
        role="img"
        aria-label={`Space-time diagram: ${layout.lanes.length} lanes, ${layout.order.length} events, ${layout.edgeFrom.length} happened-before arrows`}
        data-lanes={layout.lanes.join('\n')}
        data-events={layout.order.length}
        data-edges={layout.edgeFrom.length}
        data-past={past}
        data-future={future}
        data-visible={endVisible - firstVisible}
        data-selected-in-view={selectedX === undefined ? undefined : String(inView(v, selectedX))}
        data-highlighted={highlighted}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => setHover(null)}
        onKeyDown={onKeyDown}
      />
      {hover ? (
        <div className="timeline-hover" data-testid="timeline-hover" style={{ left: hover.x + 12, top: hover.y + 12 }}>
          {hover.text}
        </div>
      ) : null}
    </div>
  );
}
