import { describe, expect, it } from 'vitest';
import { layoutTimeline, type TimelineEvent } from './layout.js';
import { AXIS_HEIGHT, bandsOf, centreOn, eventAt, fit, inView, LABEL_WIDTH, laneGapAt, LANE_HEIGHT, pan, toPx, toX, typeColor, zoomAt } from './viewport.js';

const ev = (id: string, process: string, time: number, clock: Record<string, number>): TimelineEvent => ({ id, type: 't', process, time, vectorClock: clock, causationId: null });
const events = [ev('a1', 'a', 0, { a: 1 }), ev('b1', 'b', 50, { b: 1 }), ev('a2', 'a', 100, { a: 2 })];
const layout = layoutTimeline(events, 'time');

describe('the viewport', () => {
  it('fits the whole extent into the width', () => {
    const v = fit(layout, 1000);
    expect(toPx(v, 0)).toBeGreaterThan(LABEL_WIDTH);
    expect(toPx(v, 100)).toBeLessThan(LABEL_WIDTH + 1000);
  });

  it('maps pixels and axis values both ways', () => {
    const v = { x0: 10, scale: 2, width: 500 };
    expect(toX(v, toPx(v, 42))).toBe(42);
  });

  it('starts the plot after labels as wide as the user made them', () => {
    const v = { x0: 10, scale: 2, width: 500 };
    expect(toPx({ ...v, left: 300 }, 10)).toBe(300);
    expect(toPx(v, 10)).toBe(LABEL_WIDTH);
    expect(toX({ ...v, left: 300 }, 320)).toBe(20);
    // The anchor under the pointer stays put whatever the labels' width.
    const z = zoomAt({ ...v, left: 300 }, 400, 3);
    expect(toX(z, 400)).toBeCloseTo(toX({ ...v, left: 300 }, 400));
    // No event under the labels, however wide.
    const bands = bandsOf(layout, new Set());
    const wide = { ...fit(layout, 1000), left: 400 };
    expect(eventAt(layout, bands, wide, 399, bands[0]!.top + 5)).toBe(-1);
    expect(eventAt(layout, bands, wide, toPx(wide, 0), bands[0]!.top + 5)).toBe(0);
  });

  it('drops a lane dragged by its label before the lane whose upper half is under the pointer, or after the last', () => {
    const bands = bandsOf(layout, new Set());
    expect(laneGapAt(bands, bands[0]!.top + 2)).toBe(0);
    expect(laneGapAt(bands, bands[0]!.top + bands[0]!.height - 2)).toBe(1);
    expect(laneGapAt(bands, bands[1]!.top + 2)).toBe(1);
    expect(laneGapAt(bands, bands[1]!.top + bands[1]!.height + 50)).toBe(2);
  });


  it('pans by pixels: dragging right shows earlier events', () => {
    const v = { x0: 10, scale: 2, width: 500 };
    expect(pan(v, 20).x0).toBe(0);
  });

  it('zooms around the pointer, keeping the value under it in place', () => {
    const v = { x0: 0, scale: 1, width: 500 };
    const z = zoomAt(v, LABEL_WIDTH + 100, 4);
    expect(z.scale).toBe(4);
    expect(toX(z, LABEL_WIDTH + 100)).toBeCloseTo(100);
  });

  it('finds the event under the pointer on its lane, and nothing between lanes or far away', () => {
    const v = { x0: 0, scale: 2, width: 500 };
    const bands = bandsOf(layout, new Set());
    const laneB = AXIS_HEIGHT + LANE_HEIGHT + 5;
    expect(eventAt(layout, bands, v, toPx(v, 50) + 2, laneB)).toBe(1);
    expect(eventAt(layout, bands, v, toPx(v, 50) + 2, AXIS_HEIGHT + 5)).toBe(-1);
    expect(eventAt(layout, bands, v, toPx(v, 100) - 3, AXIS_HEIGHT + 5)).toBe(2);
    expect(eventAt(layout, bands, v, toPx(v, 75), AXIS_HEIGHT + 5)).toBe(-1);
  });

  it('colours a type the same way every time, and two types differently', () => {
    expect(typeColor('reading.recorded')).toBe(typeColor('reading.recorded'));
    expect(typeColor('reading.recorded')).not.toBe(typeColor('alert.raised'));
  });
});

describe('bringing an axis value into view', () => {
  it('puts the value in the middle of the plot, keeping the zoom when it already shows no more than the span', () => {
    const v = { x0: 0, scale: 2, width: 500 };
    const c = centreOn(v, 10_000, 1000);
    expect(c.scale).toBe(2);
    expect(toPx(c, 10_000)).toBeCloseTo(LABEL_WIDTH + 250);
    expect(inView(v, 10_000)).toBe(false);
    expect(inView(c, 10_000)).toBe(true);
  });

  it('zooms in until at most the span shows, but never out', () => {
    const wide = { x0: 0, scale: 0.001, width: 500 };
    const c = centreOn(wide, 5000, 100);
    expect(c.scale).toBe(5);
    expect(toX(c, LABEL_WIDTH + 500) - toX(c, LABEL_WIDTH)).toBeCloseTo(100);
    expect(centreOn({ x0: 0, scale: 50, width: 500 }, 5000, 100).scale).toBe(50);
    expect(centreOn(wide, 5000).scale).toBe(0.001);
  });
});
