import { describe, expect, it } from 'vitest';
import { stepMoves, withMoves, type Positions } from './drag-moves.js';

describe('moves during a drag', () => {
  it('keeps every step of a drag pending and commits nothing until the drag ends', () => {
    let pending: Positions | null = null;
    for (let i = 1; i <= 5; i++) {
      const step = stepMoves(pending, [{ id: 'a', position: { x: i, y: i }, dragging: true }]);
      expect(step.commit).toBeNull();
      pending = step.pending;
    }
    expect(pending).toEqual({ a: { x: 5, y: 5 } });
  });

  it('commits the whole drag once, with the final positions, when the pointer is released', () => {
    let pending: Positions | null = null;
    pending = stepMoves(pending, [{ id: 'a', position: { x: 1, y: 1 }, dragging: true }, { id: 'b', position: { x: 9, y: 9 }, dragging: true }]).pending;
    pending = stepMoves(pending, [{ id: 'a', position: { x: 2, y: 2 }, dragging: true }, { id: 'b', position: { x: 10, y: 10 }, dragging: true }]).pending;
    const end = stepMoves(pending, [{ id: 'a', position: { x: 3, y: 3 }, dragging: false }, { id: 'b', position: { x: 11, y: 11 }, dragging: false }]);
    expect(end).toEqual({ pending: null, commit: { a: { x: 3, y: 3 }, b: { x: 11, y: 11 } } });
  });

  it('commits a move made without dragging (arrow keys) at once', () => {
    expect(stepMoves(null, [{ id: 'a', position: { x: 4, y: 0 } }])).toEqual({ pending: null, commit: { a: { x: 4, y: 0 } } });
  });

  it('leaves the drag as it was for changes that carry no position', () => {
    const pending = { a: { x: 1, y: 1 } };
    expect(stepMoves(pending, [{ id: 'a', dragging: true }])).toEqual({ pending, commit: null });
  });
});

describe('nodes shown during a drag', () => {
  it('moves only the dragged nodes, marks them dragged, and keeps every other node object as it was', () => {
    const nodes = [
      { id: 'a', position: { x: 0, y: 0 } },
      { id: 'b', position: { x: 50, y: 0 } },
    ];
    const shown = withMoves(nodes, { b: { x: 70, y: 5 } });
    expect(shown[0]).toBe(nodes[0]);
    expect(shown[1]).toEqual({ id: 'b', position: { x: 70, y: 5 }, dragging: true });
    expect(nodes[1]?.position).toEqual({ x: 50, y: 0 });
  });
});
