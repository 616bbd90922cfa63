/**
 * The right edge of the lane labels, dragged to make them wider or narrower (or moved with ←/→ when focused): a
 * separator over the diagram's full height, left of the plot.
 */
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { LABEL_WIDTH_RANGE } from './viewport.js';

export interface LabelEdgeProps {
  width: number;
  height: number;
  onResize(width: number): void;
}

/** A key press moves the edge this many pixels. */
const STEP_PX = 10;

export function LabelEdge({ width, height, onResize }: LabelEdgeProps) {
  const drag = useRef<{ startX: number; startWidth: number } | null>(null);
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { startX: e.clientX, startWidth: width };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (d) onResize(d.startWidth + e.clientX - d.startX);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    onResize(width + (e.key === 'ArrowRight' ? STEP_PX : -STEP_PX));
  };
  return (
    <div
      className="timeline-label-edge"
      role="separator"
      aria-orientation="vertical"
      aria-label="Lane label width"
      aria-valuemin={LABEL_WIDTH_RANGE.min}
      aria-valuemax={LABEL_WIDTH_RANGE.max}
      aria-valuenow={width}
      tabIndex={0}
      title="Drag to resize the lane labels"
      style={{ left: width - 3, height }}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={() => (drag.current = null)}
      onPointerCancel={() => (drag.current = null)}
      onKeyDown={onKeyDown}
    />
  );
}
