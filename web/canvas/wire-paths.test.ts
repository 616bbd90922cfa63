import { getBezierPath, Position } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { cardHandles } from './card-geometry.js';
import { NODE_WIDTH } from './layout.js';
import { wirePaths } from './wire-paths.js';

const node = (id: string, x: number, y: number, inputs: string[], outputs: string[]) => ({ id, position: { x, y }, handles: cardHandles({ inputs, outputs }) });

describe('wires drawn zoomed out', () => {
  it('runs a wire from the right edge of its source port to the left edge of its target port', () => {
    const a = node('a', 0, 0, [], ['out']);
    const b = node('b', 400, 100, ['in'], []);
    const [path] = wirePaths([a, b], [{ source: 'a', sourceHandle: 'out', target: 'b', targetHandle: 'in' }]);
    const out = { width: 0, height: 0, ...a.handles[0]! };
    const inn = { width: 0, height: 0, ...b.handles[0]! };
    const [expected] = getBezierPath({
      sourceX: out.x + out.width,
      sourceY: out.y + out.height / 2,
      sourcePosition: Position.Right,
      targetX: 400 + inn.x,
      targetY: 100 + inn.y + inn.height / 2,
      targetPosition: Position.Left,
    });
    expect(out.x + out.width).toBeGreaterThan(NODE_WIDTH - 1);
    expect(path).toEqual({ look: '', d: expected });
  });

  it('puts wires of one look in one path and keeps selected and diff-marked wires apart', () => {
    const nodes = [node('a', 0, 0, [], ['out', 'error']), node('b', 400, 0, ['in'], []), node('c', 400, 200, ['in'], [])];
    const paths = wirePaths(nodes, [
      { source: 'a', sourceHandle: 'out', target: 'b', targetHandle: 'in' },
      { source: 'a', sourceHandle: 'error', target: 'c', targetHandle: 'in' },
      { source: 'a', sourceHandle: 'out', target: 'c', targetHandle: 'in', selected: true },
      { source: 'a', sourceHandle: 'out', target: 'b', targetHandle: 'in', className: 'diff-added' },
    ]);
    expect(paths.map((p) => p.look)).toEqual(['', 'selected', 'diff-added']);
    expect(paths[0]?.d.match(/M/g)).toHaveLength(2);
  });

  it('leaves out a wire whose node or port is gone', () => {
    const nodes = [node('a', 0, 0, [], ['out']), node('b', 400, 0, ['in'], [])];
    expect(wirePaths(nodes, [{ source: 'a', sourceHandle: 'out', target: 'x', targetHandle: 'in' }, { source: 'a', sourceHandle: 'nope', target: 'b', targetHandle: 'in' }])).toEqual([]);
  });
});
