/**
 * Node moves while a drag is under way. The canvas shows each step itself and hands the editor one move when
 * the drag ends, so a drag is one edit (one undo step, one draft save, one validation) however many steps it has.
 */
export type Point = { x: number; y: number };
export type Positions = Record<string, Point>;

/** A position change as React Flow reports it: `dragging` while the pointer is still down. */
export interface PositionChange {
  id: string;
  position?: Point;
  dragging?: boolean;
}

export interface MoveStep {
  /** Positions shown on the canvas only, until the drag ends; null when no drag is under way. */
  pending: Positions | null;
  /** Positions to hand to the editor now, as one edit; null when there is nothing to commit. */
  commit: Positions | null;
}

/** Folds one batch of position changes into the drag under way. */
export function stepMoves(pending: Positions | null, changes: readonly PositionChange[]): MoveStep {
  let moving: Positions | null = null;
  let done: Positions | null = null;
  for (const change of changes) {
    if (!change.position) continue;
    if (change.dragging) (moving ??= {})[change.id] = change.position;
    else (done ??= {})[change.id] = change.position;
  }
  if (done) return { pending: null, commit: { ...pending, ...moving, ...done } };
  if (moving) return { pending: { ...pending, ...moving }, commit: null };
  return { pending, commit: null };
}

/** The nodes with the moved ones at their new positions and marked as dragged; the others are the same objects. */
export function withMoves<T extends { id: string; position: Point }>(nodes: readonly T[], moves: Positions): T[] {
  return nodes.map((node) => {
    const position = moves[node.id];
    return position ? { ...node, position, dragging: true } : node;
  });
}
