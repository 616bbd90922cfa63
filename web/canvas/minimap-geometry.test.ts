import { describe, expect, it } from 'vitest';
import { NODE_HEIGHT, NODE_WIDTH } from './layout.js';
import { boxPaths, minimapView, union } from './minimap-geometry.js';

describe('minimap geometry', () => {
  it('draws the nodes of one colour as one path with a box per node', () => {
    const paths = boxPaths([
      { position: { x: 0, y: 0 }, colour: 'red' },
      { position: { x: 300, y: 40 }, colour: 'blue' },
      { position: { x: 10, y: 200 }, colour: 'red' },
    ]);
    expect(paths.map((p) => p.colour)).toEqual(['red', 'blue']);
    expect(paths[0]?.d).toBe(`M0,0h${NODE_WIDTH}v${NODE_HEIGHT}h${-NODE_WIDTH}zM10,200h${NODE_WIDTH}v${NODE_HEIGHT}h${-NODE_WIDTH}z`);
    expect(paths[1]?.d).toBe(`M300,40h${NODE_WIDTH}v${NODE_HEIGHT}h${-NODE_WIDTH}z`);
  });

  it('joins the flow and the part in view into one box', () => {
    expect(union({ x: 0, y: 0, width: 100, height: 50 }, { x: -20, y: 30, width: 50, height: 100 })).toEqual({ x: -20, y: 0, width: 120, height: 130 });
  });

  it('fits wide content to the minimap width and centres it vertically, with the margin in flow units', () => {
    const view = minimapView({ x: 0, y: 0, width: 2000, height: 100 }, { width: 200, height: 150 });
    expect(view.scale).toBe(10);
    expect(view).toEqual({ scale: 10, x: -50, y: 50 - 750 - 50, width: 2100, height: 1600 });
  });
});
