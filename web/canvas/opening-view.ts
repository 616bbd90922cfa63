/**
 * Where the canvas looks when a flow opens: the whole flow when it fits at a readable size, else its start
 * (top left, where sources sit) at the smallest readable zoom. A thousand nodes fitted into one screen are
 * specks nobody can read or grab; the minimap shows the rest.
 */
import { getViewportForBounds, type Viewport } from '@xyflow/react';
import { NODE_HEIGHT, NODE_WIDTH } from './layout.js';

export const FIT_PADDING = 0.2;
export const FIT_MAX_ZOOM = 1.2;
/** Below this zoom a node's name cannot be read. */
export const READABLE_ZOOM = 0.5;

export interface Size {
  width: number;
  height: number;
}

export function openingViewport(positions: readonly { x: number; y: number }[], size: Size): Viewport | null {
  if (positions.length === 0 || size.width <= 0 || size.height <= 0) return null;
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
  const bounds = { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
  const fitted = getViewportForBounds(bounds, size.width, size.height, 0, FIT_MAX_ZOOM, FIT_PADDING);
  if (fitted.zoom >= READABLE_ZOOM) return fitted;
  const margin = (Math.min(size.width, size.height) * FIT_PADDING) / 2;
  return { x: margin - minX * READABLE_ZOOM, y: margin - minY * READABLE_ZOOM, zoom: READABLE_ZOOM };
}
