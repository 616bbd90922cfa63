/** The pure parts of the zoomed-out diagram: density, bundled arrows, idle gaps, local runs, the clamped view. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bundleEdges } from './bundles.js';
import { CELL_CONE, coneCells, countAt, densityGrid, isCrowded } from './density.js';
import { compressAxis, compressLayout, idleGaps } from './idle-gaps.js';
import { causalCone, CONE, layoutTimeline, visibleEdges, type TimelineEvent } from './layout.js';
import { causalOverview } from './overview.js';

import { localRuns } from './local-runs.js';
import { clampView, fit, zoomAt, LABEL_WIDTH } from './viewport.js';

let n = 0;
const ev = (process: string, time: number, vectorClock: Record<string, number>, causationId: string | null = null): TimelineEvent => ({ id: `e${n++}`, type: 't', process, time, vectorClock, causationId });

/** a sends to b every 10th event; otherwise local events on both. */
function history(count: number, gapAt = -1, gap = 0): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  let ca = 0;
  let cb = 0;
  let lastA = 0;
  for (let i = 0; i < count; i++) {
    const t = 1000 + i * 10 + (gapAt >= 0 && i >= gapAt ? gap : 0);
    if (i % 2 === 0) {
      lastA = ++ca;
      out.push(ev('a', t, { a: ca }));
    } else if (i % 10 === 9) out.push(ev('b', t, { b: ++cb, a: lastA }));
    else out.push(ev('b', t, { b: ++cb }));
  }
  return out;
}

describe('density', () => {
  it('counts every visible event once, in its lane and pixel column', () => {
    const layout = layoutTimeline(history(1000), 'time');
    const v = fit(layout, 200);
    const grid = densityGrid(layout, v, 2);
    expect(grid.events).toBe(1000);
    expect(grid.counts.reduce((s, c) => s + c, 0)).toBe(1000);
    const laneA = layout.lanes.indexOf('a');
    let a = 0;
    for (let c = 0; c < grid.columns; c++) a += countAt(grid, laneA, c * 2).count;
    expect(a).toBe(500);
    expect(isCrowded(grid)).toBe(true);
  });

  it('marks the cells holding some of a selection’s causal past or future, past first', () => {
    const events = history(1000);
    const layout = layoutTimeline(events, 'time');
    const selected = 500;
    const cone = causalCone(events, selected);
    const grid = densityGrid(layout, fit(layout, 200), 2, cone);
    const cellOf = (i: number) => {
      const v = fit(layout, 200);
      const column = Math.min(grid.columns - 1, Math.floor(((layout.x[i]! - v.x0) * v.scale) / 2));
      return layout.lane[i]! * grid.columns + column;
    };
    let pastEvents = 0;
    for (let i = 0; i < events.length; i++) {
      const cell = grid.cone![cellOf(i)]!;
      if (cone[i] === CONE.past) {
        pastEvents++;
        expect(cell).toBe(CELL_CONE.past);
      } else if (cone[i] === CONE.future) expect([CELL_CONE.past, CELL_CONE.future]).toContain(cell);
      else expect(cell).not.toBe(CELL_CONE.empty);
    }
    expect(pastEvents).toBeGreaterThan(0);
    const cells = coneCells(grid);
    expect(cells.past).toBeGreaterThan(0);
    expect(cells.future).toBeGreaterThan(0);
    // Without a selection, no cell is marked.
    expect(densityGrid(layout, fit(layout, 200), 2).cone).toBeNull();
  });

  it('is not crowded when each event has a column to itself', () => {
    const layout = layoutTimeline(history(20), 'time');
    expect(isCrowded(densityGrid(layout, fit(layout, 2000), 2))).toBe(false);
  });
});

describe('bundled arrows', () => {
  it('keeps every arrow, bundled by lane pair and head bin, the count adding up', () => {
    const layout = layoutTimeline(history(2000), 'time');
    const v = fit(layout, 300);
    const edges = visibleEdges(layout, v.x0, v.x0 + v.width / v.scale);
    const bundles = bundleEdges(layout, edges, v, 24);
    expect(bundles.reduce((s, b) => s + b.count, 0)).toBe(edges.length);
    expect(bundles.length).toBeLessThan(edges.length / 4);
    expect(bundles.every((b) => b.fromLane !== b.toLane)).toBe(true);
  });
});

describe('compress idle time', () => {
  it('finds the long silence and shrinks it to the threshold, mapping back exactly and keeping order', () => {
    const layout = layoutTimeline(history(200, 100, 3_600_000), 'time');
    const { gaps, threshold } = idleGaps(layout.orderX);
    expect(gaps).toHaveLength(1);
    const axis = compressAxis(gaps, threshold);
    const compressed = compressLayout(layout, axis);
    expect(compressed.extent[1] - compressed.extent[0]).toBeLessThan((layout.extent[1] - layout.extent[0]) / 10);
    fc.assert(
      fc.property(fc.double({ min: -1e4, max: 4e6, noNaN: true }), fc.double({ min: -1e4, max: 4e6, noNaN: true }), (x, y) => {
        expect(axis.unmap(axis.map(x))).toBeCloseTo(x, 3);
        if (x < y) expect(axis.map(x)).toBeLessThanOrEqual(axis.map(y));
      }),
    );
    const g = gaps[0]!;
    expect(axis.map(g.to) - axis.map(g.from)).toBeCloseTo(threshold);
  });

  it('leaves an evenly busy history alone', () => {
    expect(idleGaps(layoutTimeline(history(300), 'time').orderX).gaps).toEqual([]);
  });
});

describe('collapse local events', () => {
  it('folds runs of events that send and receive nothing, never one that does', () => {
    const layout = layoutTimeline(history(100), 'time');
    const { runs, inRun } = localRuns(layout);
    const talks = new Set([...layout.edgeFrom, ...layout.edgeTo]);
    expect(runs.length).toBeGreaterThan(0);
    for (const r of runs) {
      expect(r.count).toBeGreaterThanOrEqual(2);
      for (const i of r.events) {
        expect(talks.has(i)).toBe(false);
        expect(layout.lane[i]).toBe(r.lane);
      }
    }
    for (const i of talks) expect(inRun[i]).toBe(0);
    // Every local event on a lane between two messages is in a run, unless it stands alone.
    expect(runs.reduce((s, r) => s + r.count, 0)).toBe(inRun.reduce((s, m) => s + m, 0));
  });
});

describe('the view stays on the data', () => {
  it('never shows positions before the data or past it, however it is zoomed out', () => {
    const layout = layoutTimeline(history(100), 'time');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 800 }), fc.double({ min: 0.05, max: 20, noNaN: true })), { maxLength: 20 }), (steps) => {
        let v = fit(layout, 800);
        for (const [px, factor] of steps) v = clampView(zoomAt(v, LABEL_WIDTH + px, factor), layout.extent);
        const margin = (layout.extent[1] - layout.extent[0]) * 0.03 + 1e-6;
        expect(v.x0).toBeGreaterThanOrEqual(layout.extent[0] - margin);
        expect(v.x0 + v.width / v.scale).toBeLessThanOrEqual(layout.extent[1] + margin);
      }),
    );
  });
});

describe('the causal overview', () => {
  it('counts every event of the diagram once, per host and slice of its causal range', () => {
    const layout = layoutTimeline(history(1000), 'causal');
    const overview = causalOverview(layout, 50);
    expect(overview.total).toBe(1000);
    expect(overview.lanes.map((l) => l.process)).toEqual(layout.lanes);
    expect(overview.lanes.reduce((s, l) => s + l.counts.reduce((a, b) => a + b, 0), 0)).toBe(1000);
    expect([overview.from, overview.to]).toEqual([Math.floor(layout.extent[0]), Math.ceil(layout.extent[1])]);
    expect(overview.lanes.every((l) => l.counts.length === 50)).toBe(true);
  });
});
