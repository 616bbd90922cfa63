/**
 * Wires drawn zoomed out: every wire of one look (plain, selected, or a diff mark) in one SVG path, from the
 * nodes' positions and port boxes, as React Flow would draw each of them.
 */
import { getBezierPath, Position, type NodeHandle } from '@xyflow/react';

export interface PlacedNode {
  id: string;
  position: { x: number; y: number };
  handles?: NodeHandle[];
}

export interface DrawnWire {
  source: string;
  sourceHandle?: string | null;
  target: string;
  targetHandle?: string | null;
  selected?: boolean;
  className?: string;
}

/** Where a wire leaves a source port (its right edge) or enters a target port (its left edge). */
function portPoint(node: PlacedNode, port: string | null | undefined, type: 'source' | 'target'): { x: number; y: number } | null {
  const handle = node.handles?.find((h) => h.type === type && (port == null || h.id === port));
  if (!handle) return null;
  const width = handle.width ?? 0;
  const height = handle.height ?? 0;
  return { x: node.position.x + handle.x + (type === 'source' ? width : 0), y: node.position.y + handle.y + height / 2 };
}

/** One path per look: `selected`, a diff class, or `''` for plain wires; wires whose ends are unknown are left out. */
export function wirePaths(nodes: readonly PlacedNode[], wires: readonly DrawnWire[]): { look: string; d: string }[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const byLook = new Map<string, string[]>();
  for (const wire of wires) {
    const source = byId.get(wire.source);
    const target = byId.get(wire.target);
    const from = source && portPoint(source, wire.sourceHandle, 'source');
    const to = target && portPoint(target, wire.targetHandle, 'target');
    if (!from || !to) continue;
    const [d] = getBezierPath({ sourceX: from.x, sourceY: from.y, sourcePosition: Position.Right, targetX: to.x, targetY: to.y, targetPosition: Position.Left });
    const look = wire.selected ? 'selected' : (wire.className ?? '');
    let parts = byLook.get(look);
    if (!parts) byLook.set(look, (parts = []));
    parts.push(d);
  }
  return [...byLook].map(([look, parts]) => ({ look, d: parts.join('') }));
}
