import { Position } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { CARD_MIN_HEIGHT, cardHandles, portAreaHeight, portCentre } from './card-geometry.js';
import { NODE_WIDTH } from './layout.js';

describe('node card geometry', () => {
  it('centres a single input and output on the card sides', () => {
    const handles = cardHandles({ inputs: ['in'], outputs: ['out'] });
    expect(handles).toEqual([
      { id: 'in', type: 'target', position: Position.Left, x: -5, y: CARD_MIN_HEIGHT / 2 - 5, width: 10, height: 10 },
      { id: 'out', type: 'source', position: Position.Right, x: NODE_WIDTH - 5, y: CARD_MIN_HEIGHT / 2 - 5, width: 10, height: 10 },
    ]);
  });

  it('spreads several outputs evenly, in port order, and gives a source only outputs', () => {
    const handles = cardHandles({ inputs: [], outputs: ['hot', 'cold', 'otherwise'] });
    expect(handles.map((h) => [h.id, h.type, h.y + 5])).toEqual([
      ['hot', 'source', 14],
      ['cold', 'source', 28],
      ['otherwise', 'source', 42],
    ]);
  });

  it('makes a card with many ports tall enough that no two handles overlap', () => {
    const ports = { inputs: ['in'], outputs: ['a', 'b', 'c', 'd', 'e', 'f', 'otherwise'] };
    expect(portAreaHeight(ports)).toBeGreaterThan(CARD_MIN_HEIGHT);
    const ys = cardHandles(ports).filter((h) => h.type === 'source').map((h) => h.y);
    for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(10);
    expect(ys[ys.length - 1]! + 10).toBeLessThanOrEqual(portAreaHeight(ports));
  });

  it('rounds port centres to whole pixels, as the card draws them', () => {
    expect(portCentre(0, 2, 56)).toBe(19);
    expect(portCentre(1, 2, 56)).toBe(37);
  });
});
