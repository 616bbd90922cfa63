import { describe, expect, it } from 'vitest';
import { NODE_HEIGHT, NODE_WIDTH } from './layout.js';
import { boundsOf, CARD_TEXT_PX, FIT_MAX_ZOOM, fittedViewport, openingViewport, READABLE_ZOOM, showsWhole } from './opening-view.js';

const screen = { width: 1000, height: 600 };
const grid = (count: number, columns: number) => Array.from({ length: count }, (_, i) => ({ x: (i % columns) * 220, y: Math.floor(i / columns) * 110 }));
/** Where a flow point lands on the screen under a viewport. */
const onScreen = (v: { x: number; y: number; zoom: number }, p: { x: number; y: number }) => ({ x: p.x * v.zoom + v.x, y: p.y * v.zoom + v.y });

describe('the view a flow opens with', () => {
  it('has none for an empty flow, so an empty canvas keeps its zoom', () => {
    expect(openingViewport([], screen)).toBeNull();
  });

  it('shows every node of a small flow on screen, zoomed no further in than the fit limit', () => {
    const nodes = grid(6, 3);
    const view = openingViewport(nodes, screen)!;
    expect(view.zoom).toBeLessThanOrEqual(FIT_MAX_ZOOM);
    expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    for (const n of nodes) {
      const topLeft = onScreen(view, n);
      const bottomRight = onScreen(view, { x: n.x + NODE_WIDTH, y: n.y + NODE_HEIGHT });
      expect(topLeft.x).toBeGreaterThanOrEqual(0);
      expect(topLeft.y).toBeGreaterThanOrEqual(0);
      expect(bottomRight.x).toBeLessThanOrEqual(screen.width);
      expect(bottomRight.y).toBeLessThanOrEqual(screen.height);
    }
  });

  it('opens a flow too large to fit readably at the readable zoom, with its top-left node on screen', () => {
    const nodes = grid(1000, 40).map((p) => ({ x: p.x + 500, y: p.y - 300 }));
    const view = openingViewport(nodes, screen)!;
    expect(view.zoom).toBe(READABLE_ZOOM);
    const first = onScreen(view, { x: 500, y: -300 });
    expect(first.x).toBeGreaterThan(0);
    expect(first.y).toBeGreaterThan(0);
    expect(first.x + NODE_WIDTH * view.zoom).toBeLessThan(screen.width);
    expect(first.y + NODE_HEIGHT * view.zoom).toBeLessThan(screen.height);
  });

  it('computes the view holding every node of a 1,000-node flow, however small that makes them (which the opening view declines)', () => {
    const nodes = grid(1000, 40);
    const view = fittedViewport(nodes, screen)!;
    expect(view.zoom).toBeLessThan(READABLE_ZOOM);
    for (const n of [nodes[0]!, nodes[39]!, nodes[999]!]) {
      const topLeft = onScreen(view, n);
      const bottomRight = onScreen(view, { x: n.x + NODE_WIDTH, y: n.y + NODE_HEIGHT });
      expect(topLeft.x).toBeGreaterThanOrEqual(0);
      expect(topLeft.y).toBeGreaterThanOrEqual(0);
      expect(bottomRight.x).toBeLessThanOrEqual(screen.width);
      expect(bottomRight.y).toBeLessThanOrEqual(screen.height);
    }
    expect(fittedViewport([], screen)).toBeNull();
  });

  it('keeps a chain of six nodes readable on a laptop-wide canvas: text of at least 10 px, the rest a scroll away', () => {
    const chain = Array.from({ length: 6 }, (_, i) => ({ x: i * (NODE_WIDTH + 80), y: 0 }));
    const canvas = { width: 900, height: 500 };
    expect(fittedViewport(chain, canvas)!.zoom * CARD_TEXT_PX).toBeLessThan(10);
    const view = openingViewport(chain, canvas)!;
    expect(view.zoom * CARD_TEXT_PX).toBeGreaterThanOrEqual(10);
    const first = onScreen(view, chain[0]!);
    expect(first.x).toBeGreaterThan(0);
    expect(first.x + NODE_WIDTH * view.zoom).toBeLessThan(canvas.width);
  });

  it('knows when the view shows the whole flow and when part of it is out of view', () => {
    const nodes = grid(1000, 40);
    const bounds = boundsOf(nodes)!;
    expect(showsWhole(bounds, fittedViewport(nodes, screen)!, screen)).toBe(true);
    expect(showsWhole(bounds, openingViewport(nodes, screen)!, screen)).toBe(false);
    const fitted = fittedViewport(nodes, screen)!;
    expect(showsWhole(bounds, { ...fitted, x: fitted.x - 200 }, screen)).toBe(false);
    expect(boundsOf([])).toBeNull();
  });
});
