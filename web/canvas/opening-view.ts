/**
 * Where the canvas looks when a flow opens, is fitted or laid out: the whole flow when it fits at a readable size,
 * else its start (top left, where sources sit) at the smallest readable zoom, and the rest is a scroll away. A
 * thousand nodes — or a chain of six on a laptop — fitted into one screen are specks nobody can read or grab; the
 * minimap shows the rest.
 */
import { getViewportForBounds, type Viewport } from '@xyflow/react';
import { NODE_HEIGHT, NODE_WIDTH } from './layout.js';

export const FIT_PADDING = 0.2;
export const FIT_MAX_ZOOM = 1.2;
/** The smallest text on a card, in CSS pixels at zoom 1 (styles.css: `.flow-node` and what it holds). */
export const CARD_TEXT_PX = 12;
/** The smallest text a card may show on screen. */
export const MIN_SCREEN_TEXT_PX = 10;
/** Below this zoom a card's smallest text is under 10 px on screen. */
export const READABLE_ZOOM = MIN_SCREEN_TEXT_PX / CARD_TEXT_PX;

export interface Size {
  width: number;
  height: number;
}

/**
 * The view that shows every node, from the nodes' positions and their declared size. Computed here rather than
 * by React Flow's `fitView`, which waits until every node has been drawn and measured — and the canvas draws
 * only the nodes in view.
 */
export function fittedViewport(positions: readonly { x: number; y: number }[], size: Size): Viewport | null {
  const bounds = boundsOf(positions);
  if (!bounds || size.width <= 0 || size.height <= 0) return null;
  return getViewportForBounds(bounds, size.width, size.height, 0, FIT_MAX_ZOOM, FIT_PADDING);
}

/** The view for the whole flow, never below the readable zoom (fit, auto-layout, opening a flow). */
export function openingViewport(positions: readonly { x: number; y: number }[], size: Size): Viewport | null {
  const fitted = fittedViewport(positions, size);
  const bounds = boundsOf(positions);
  if (!fitted || !bounds) return null;
  if (fitted.zoom >= READABLE_ZOOM) return fitted;
  const margin = (Math.min(size.width, size.height) * FIT_PADDING) / 2;
  return { x: margin - bounds.x * READABLE_ZOOM, y: margin - bounds.y * READABLE_ZOOM, zoom: READABLE_ZOOM };
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Whether a viewport shows the whole of a flow's bounds (then a minimap would only repeat the canvas). */
export function showsWhole(bounds: Bounds, view: Viewport, size: Size): boolean {
  const left = bounds.x * view.zoom + view.x;
  const top = bounds.y * view.zoom + view.y;
  return left >= 0 && top >= 0 && left + bounds.width * view.zoom <= size.width && top + bounds.height * view.zoom <= size.height;
}

/** The box around every node, from positions and the declared node size. */
export function boundsOf(positions: readonly { x: number; y: number }[]): Bounds | null {
  if (positions.length === 0) return null;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of positions) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x + NODE_WIDTH);
    maxY = Math.max(maxY, p.y + NODE_HEIGHT);
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}
