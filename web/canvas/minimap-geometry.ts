/**
 * What the minimap draws: every node as a box in one SVG path per colour (a handful of elements however large
 * the flow), and the view box that holds the flow and the part of it in view.
 */
import { NODE_HEIGHT, NODE_WIDTH } from './layout.js';
import type { Bounds } from './opening-view.js';

export interface BoxedNode {
  position: { x: number; y: number };
  colour: string;
}

/** One path per colour, each a box per node of that colour, in the order colours first appear. */
export function boxPaths(nodes: readonly BoxedNode[]): { colour: string; d: string }[] {
  const byColour = new Map<string, string[]>();
  for (const { position, colour } of nodes) {
    let parts = byColour.get(colour);
    if (!parts) byColour.set(colour, (parts = []));
    parts.push(`M${position.x},${position.y}h${NODE_WIDTH}v${NODE_HEIGHT}h${-NODE_WIDTH}z`);
  }
  return [...byColour].map(([colour, parts]) => ({ colour, d: parts.join('') }));
}

export interface MinimapView {
  /** Flow units per minimap pixel. */
  scale: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The union of two boxes. */
export function union(a: Bounds, b: Bounds): Bounds {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

/** The view box of a minimap of `size` pixels showing `content` centred, with a margin of `margin` pixels. */
export function minimapView(content: Bounds, size: { width: number; height: number }, margin = 5): MinimapView {
  const scale = Math.max(content.width / size.width, content.height / size.height);
  const width = scale * size.width;
  const height = scale * size.height;
  const offset = margin * scale;
  return {
    scale,
    x: content.x - (width - content.width) / 2 - offset,
    y: content.y - (height - content.height) / 2 - offset,
    width: width + offset * 2,
    height: height + offset * 2,
  };
}
