/**
 * Where a node card's ports sit, in pixels from the card's top left. The card draws its handles at these places
 * and React Flow is handed the same boxes, so it can place every wire without first drawing and measuring every
 * node (a 1,000-node flow would otherwise be drawn whole once, before all but the visible nodes are dropped).
 */
import { Position, type NodeHandle } from '@xyflow/react';
import { NODE_WIDTH } from './layout.js';
import type { Ports } from './ports.js';

/** The card's height with up to three ports a side; more ports make it taller. */
export const CARD_MIN_HEIGHT = 56;
/** Side of a port's handle (`.react-flow__handle` in styles.css). */
export const HANDLE_SIZE = 10;
const PORT_SPACING = 14;

/** The height the card reserves for its ports. */
export const portAreaHeight = (ports: Ports): number => Math.max(CARD_MIN_HEIGHT, (Math.max(ports.inputs.length, ports.outputs.length) + 1) * PORT_SPACING);

/** The centre of port `index` of `count` on one side, from the card's top. */
export const portCentre = (index: number, count: number, area: number): number => Math.round(((index + 1) * area) / (count + 1));

/** The handle boxes of a card's ports, as React Flow takes them (relative to the node, unzoomed). */
export function cardHandles(ports: Ports): NodeHandle[] {
  const area = portAreaHeight(ports);
  const half = HANDLE_SIZE / 2;
  const side = (names: string[], type: 'source' | 'target') =>
    names.map((id, i) => ({
      id,
      type,
      position: type === 'target' ? Position.Left : Position.Right,
      x: type === 'target' ? -half : NODE_WIDTH - half,
      y: portCentre(i, names.length, area) - half,
      width: HANDLE_SIZE,
      height: HANDLE_SIZE,
    }));
  return [...side(ports.inputs, 'target'), ...side(ports.outputs, 'source')];
}
