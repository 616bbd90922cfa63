/**
 * The diagram's canvas: draws the scene on animation frames (paint.ts), pans on drag, brushes a range on
 * shift-drag, selects the event under a click, and brings an event into view when asked (a link naming it). The
 * wheel scrolls the lanes under an axis pinned above them; Ctrl+wheel or a pinch zooms (useWheelGestures.ts); the
 * view never leaves the data. Zoomed out, lanes show their density (counts on hover) and arrows are bundled.
 * Hovering a lane's label shows its whole name; dragging a label up or down moves its lane there; dragging the
 * labels' right edge resizes them (LabelEdge.tsx, kept by useLabelWidth.ts). Keyboard: ←/→ select the previous/next
 * event, +/− zoom, F fit. The first frame that shows events sets the performance mark `timeline:events-painted`.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { countAt, type DensityGrid } from './density.js';
import type { Highlight } from './highlight.js';
import type { CompressedAxis } from './idle-gaps.js';
import { CONE, visibleEvents, type TimelineLayout } from './layout.js';
import { LabelEdge } from './LabelEdge.js';
import type { LocalRun } from './local-runs.js';
import { EVENTS_PAINTED_MARK } from './marks.js';
import { paintFrame } from './paint.js';
import type { Scene } from './render.js';
import { timeLabel } from './ticks.js';
import { useLabelWidth } from './useLabelWidth.js';
import { useWheelGestures } from './useWheelGestures.js';
import { bandsOf, centreOn, clampView, eventAt, fit, inView, laneGapAt, pan, showRange, toPx, toX, zoomAt, type Viewport } from './viewport.js';

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
  /** A lane dragged by its label: `process` moved before the lane `before` (null: after the last one). */
  onMoveLane?(process: string, before: string | null): void;
}

export type ViewAsk = { kind: 'fit-all' } | { kind: 'show'; from: number; to: number };
export type ViewCommand = { key: number } & ViewAsk;

type Hover = { x: number; y: number; text: string } | null;

type Drag = { kind: 'pan' | 'brush' | 'lane'; startPx: number; lastPx: number; startPy: number; moved: boolean; lane: number };

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
  const [labelWidth, setLabelWidth] = useLabelWidth();
  /** While a lane is dragged by its label: the gap it would drop into. */
  const [laneDrop, setLaneDrop] = useState<number | null>(null);
  const { layout } = props;
  const highlighted = useMemo(() => props.highlight?.reduce((n, h) => n + (h ? 1 : 0), 0), [props.highlight]);
  const bands = bandsOf(layout, props.collapsed);
  const plotWidth = Math.max(50, size.width - labelWidth);
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

  const v: Viewport = { ...(viewport ?? fit(layout, plotWidth)), width: plotWidth, left: labelWidth };

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
    zoom: (clientX, factor) => move(zoomAt(v, Math.max(labelWidth, clientX - (canvasRef.current?.getBoundingClientRect().left ?? 0)), factor)),
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
  const [first, afterLast] = [toX(v, labelWidth), toX(v, labelWidth + plotWidth)];
  const { start: firstVisible, end: endVisible } = visibleEvents(layout, first, afterLast);
  const selectedX = props.selected >= 0 && (layout.lane[props.selected] ?? -1) >= 0 ? layout.x[props.selected] : undefined;

  useEffect(() => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const canvas = canvasRef.current;
      if (!canvas) return;
      grid.current = paintFrame(canvas, axisRef.current, {
        layout, bands, viewport: v, height: contentHeight, types: props.types, typeIndex: props.typeIndex, cone: props.cone, mask: props.mask, selected: props.selected,
        brush: props.brush, overlay: props.overlay ?? null, highlight: props.highlight ?? null, compressed: props.compressed ?? null, runs: props.runs ?? null, byHost: props.byHost ?? true,
      });
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
    const [px, py] = [localX(e), localY(e)];
    const lane = px < labelWidth && props.onMoveLane ? bands.findIndex((b) => py >= b.top && py < b.top + b.height) : -1;
    drag.current = { kind: lane >= 0 ? 'lane' : e.shiftKey ? 'brush' : 'pan', startPx: px, lastPx: px, startPy: py, moved: false, lane };
  };
  const hoverAt = (px: number, py: number) => {
    const lane = bands.findIndex((b) => py >= b.top && py < b.top + b.height);
    const band = bands[lane];
    if (!band) return setHover(null);
    if (px < labelWidth) return setHover({ x: px, y: py, text: band.process });
    const g = grid.current;
    if (!g) return setHover(null);
    const { column, count } = countAt(g, lane, px - labelWidth);
    const from = toX(v, labelWidth + column * g.columnPx);
    const to = toX(v, labelWidth + (column + 1) * g.columnPx);
    const span = layout.axis === 'time' && !props.compressed ? ` · ${timeLabel(layout.origin + from, to - from)}–${timeLabel(layout.origin + to, to - from)}` : '';
    setHover({ x: px, y: py, text: `${band.process}: ${count} event${count === 1 ? '' : 's'}${span}` });
  };
  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    if (!d) return hoverAt(localX(e), localY(e));
    setHover(null);
    const [px, py] = [localX(e), localY(e)];
    if (Math.abs(px - d.startPx) > 3 || (d.kind === 'lane' && Math.abs(py - d.startPy) > 3)) d.moved = true;
    if (d.kind === 'lane') setLaneDrop(d.moved ? laneGapAt(bands, py) : null);
    else if (d.kind === 'pan') move(pan(v, px - d.lastPx));
    else if (d.moved) props.onBrush([toX(v, Math.max(labelWidth, d.startPx)), toX(v, Math.max(labelWidth, px))]);
    d.lastPx = px;
  };
  const onPointerUp = (e: PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    drag.current = null;
    setLaneDrop(null);
    if (d?.kind === 'lane' && d.moved) {
      const gap = laneGapAt(bands, localY(e));
      // Dropped where it was (just above or below itself): nothing moves.
      if (gap !== d.lane && gap !== d.lane + 1) props.onMoveLane?.(bands[d.lane]!.process, bands[gap]?.process ?? null);
      return;
    }
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
      if (px < labelWidth || px > labelWidth + plotWidth) move({ ...v, x0: layout.x[index]! - plotWidth / 2 / v.scale });
    } else if (e.key === '+' || e.key === '=') move(zoomAt(v, labelWidth + plotWidth / 2, 1.5));
    else if (e.key === '-') move(zoomAt(v, labelWidth + plotWidth / 2, 1 / 1.5));
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
        data-label-width={labelWidth}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => setHover(null)}
        onKeyDown={onKeyDown}
      />
      <LabelEdge width={labelWidth} height={contentHeight} onResize={setLabelWidth} />
      {laneDrop !== null ? <div className="timeline-lane-drop" data-testid="lane-drop" style={{ top: gapTop(bands, laneDrop) - 1, width: labelWidth }} /> : null}

      {hover ? (
        <div className="timeline-hover" data-testid="timeline-hover" style={{ left: hover.x + 12, top: hover.y + 12 }}>
          {hover.text}
        </div>
      ) : null}
    </div>
  );
}

/** The height of the boundary a dragged lane would drop into: the top of lane `gap`, or below the last lane. */
function gapTop(bands: readonly { top: number; height: number }[], gap: number): number {
  const band = bands[gap] ?? bands[bands.length - 1];
  return band ? (gap < bands.length ? band.top : band.top + band.height) : 0;
}
