import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, receive, tick, type VectorClock } from '../../shared/clock.js';
import { causalCone, CONE, directCauses, laneBands, laneOrder, layoutTimeline, moveLane, visibleEdges, visibleEvents, type TimelineEvent } from './layout.js';

let counter = 0;
const ev = (process: string, vectorClock: VectorClock, over: Partial<TimelineEvent> = {}): TimelineEvent => ({
  id: over.id ?? `e${++counter}`,
  type: 'x',
  process,
  time: 1000,
  vectorClock,
  causationId: null,
  ...over,
});

/** a1 → (message) → b2; b1 is local on b; c1 is unrelated. */
function exchange() {
  const a1 = ev('a', { a: 1 }, { id: 'a1', time: 1000 });
  const b1 = ev('b', { b: 1 }, { id: 'b1', time: 1001 });
  const b2 = ev('b', { a: 1, b: 2 }, { id: 'b2', time: 1005 });
  const c1 = ev('c', { c: 1 }, { id: 'c1', time: 1002 });
  return [a1, b1, b2, c1];
}

/** Random consistent histories: each step is local or receives the latest clock of another process. */
const histories = fc
  .array(fc.tuple(fc.constantFrom('p', 'q', 'r', 's'), fc.option(fc.constantFrom('p', 'q', 'r', 's'), { nil: undefined })), { minLength: 1, maxLength: 60 })
  .map((plan) => {
    const clocks = new Map<string, VectorClock>();
    return plan.map(([p, from], i) => {
      const own = clocks.get(p) ?? {};
      const next = from && from !== p && clocks.has(from) ? receive(own, clocks.get(from)!, p) : tick(own, p);
      clocks.set(p, next);
      return ev(p, next, { id: `h${i}`, time: 1000 + i });
    });
  });

describe('lanes', () => {
  it('gives one lane per process in order of first appearance', () => {
    expect(layoutTimeline(exchange(), 'time').lanes).toEqual(['a', 'b', 'c']);
  });

  it('puts the lanes the user arranged first and leaves hidden lanes out', () => {
    const layout = layoutTimeline(exchange(), 'time', { order: ['c', 'a'], hidden: new Set(['b']) });
    expect(layout.lanes).toEqual(['c', 'a']);
    expect(Array.from(layout.lane)).toEqual([1, -1, -1, 0]);
    expect(Array.from(layout.order).sort()).toEqual([0, 3]);
  });

  it('ignores arranged processes that have no events', () => {
    expect(laneOrder(exchange(), { order: ['zzz', 'b'] })).toEqual(['b', 'a', 'c']);
  });

  it('moves a lane to a new place and clamps the place', () => {
    expect(moveLane(['a', 'b', 'c'], 'c', 0)).toEqual(['c', 'a', 'b']);
    expect(moveLane(['a', 'b', 'c'], 'a', 99)).toEqual(['b', 'c', 'a']);
  });

  it('stacks lane bands with thin collapsed lanes', () => {
    expect(laneBands(['a', 'b', 'c'], new Set(['b']), 40, 8)).toEqual([
      { process: 'a', top: 0, height: 40, collapsed: false },
      { process: 'b', top: 40, height: 8, collapsed: true },
      { process: 'c', top: 48, height: 40, collapsed: false },
    ]);
  });
});

describe('positions along the axis', () => {
  it('places events by time relative to the earliest', () => {
    const layout = layoutTimeline(exchange(), 'time');
    expect(layout.origin).toBe(1000);
    expect(Array.from(layout.x)).toEqual([0, 1, 5, 2]);
    expect(layout.extent).toEqual([0, 5]);
  });

  it('keeps a fixed origin so older events joining do not move the ones shown', () => {
    const newest = exchange().slice(2);
    const before = layoutTimeline(newest, 'time', { origin: 1005 });
    const after = layoutTimeline(exchange(), 'time', { origin: 1005 });
    expect(before.origin).toBe(1005);
    expect(Array.from(before.x)).toEqual([0, -3]);
    expect(Array.from(after.x).slice(2)).toEqual([0, -3]);
    expect(after.extent).toEqual([-5, 0]);
  });

  it('chains a process by its own counter even when its events come out of order', () => {
    const b2 = ev('b', { a: 1, b: 2 }, { id: 'b2', time: 1005 });
    const a1 = ev('a', { a: 1 }, { id: 'a1', time: 1000 });
    const b1 = ev('b', { b: 1 }, { id: 'b1', time: 1001 });
    const { previous, from, to } = directCauses([b2, a1, b1]);
    expect(Array.from(previous)).toEqual([2, -1, -1]);
    expect([from, to]).toEqual([[1], [0]]);
  });

  it('places a receipt one causal step after its send and after its own predecessor', () => {
    const layout = layoutTimeline(exchange(), 'causal');
    expect(Array.from(layout.x)).toEqual([0, 0, 1, 0]);
  });

  it('orders events by position along the axis', () => {
    const layout = layoutTimeline(exchange(), 'time');
    expect(Array.from(layout.order)).toEqual([0, 1, 3, 2]);
  });

  it('never places an event at or before one that happened before it (causal axis)', () => {
    fc.assert(
      fc.property(histories, (events) => {
        const { x } = layoutTimeline(events, 'causal');
        for (let i = 0; i < events.length; i++) {
          for (let j = 0; j < events.length; j++) {
            if (compare(events[i]!.vectorClock, events[j]!.vectorClock) === 'before') expect(x[i]!).toBeLessThan(x[j]!);
          }
        }
      }),
    );
  });
});

describe('happened-before edges', () => {
  it('draws an edge from a send to its receipt across lanes, none for local steps', () => {
    const layout = layoutTimeline(exchange(), 'time');
    expect(Array.from(layout.edgeFrom)).toEqual([0]);
    expect(Array.from(layout.edgeTo)).toEqual([2]);
  });

  it('draws an edge for a causation link across lanes', () => {
    const events = [ev('dev', { dev: 1 }, { id: 'r' }), ev('main', { main: 1 }, { id: 'd', causationId: 'r' })];
    const layout = layoutTimeline(events, 'time');
    expect([layout.edgeFrom[0], layout.edgeTo[0]]).toEqual([0, 1]);
  });

  it('links a receipt to the latest event it merged, not to older ones', () => {
    const events = [ev('a', { a: 1 }), ev('a', { a: 2 }), ev('b', { a: 2, b: 1 })];
    const { from, to } = directCauses(events);
    expect([from, to]).toEqual([[1], [2]]);
  });

  it('does not draw an edge to a hidden lane', () => {
    expect(layoutTimeline(exchange(), 'time', { hidden: new Set(['a']) }).edgeFrom).toHaveLength(0);
  });

  it('every edge joins two events in happened-before order on different lanes', () => {
    fc.assert(
      fc.property(histories, (events) => {
        const layout = layoutTimeline(events, 'causal');
        for (let k = 0; k < layout.edgeFrom.length; k++) {
          const a = layout.edgeFrom[k]!;
          const b = layout.edgeTo[k]!;
          expect(compare(events[a]!.vectorClock, events[b]!.vectorClock)).toBe('before');
          expect(layout.lane[a]).not.toBe(layout.lane[b]);
        }
      }),
    );
  });

  it('with the edges and the lanes, recovers every happened-before pair (the diagram is complete)', () => {
    fc.assert(
      fc.property(histories, (events) => {
        const { from, to, previous } = directCauses(events);
        const next: number[][] = events.map(() => []);
        from.forEach((f, k) => next[f]!.push(to[k]!));
        previous.forEach((p, i) => p >= 0 && next[p]!.push(i));
        for (let i = 0; i < events.length; i++) {
          const reach = new Set<number>();
          const stack = [...next[i]!];
          while (stack.length) {
            const k = stack.pop()!;
            if (reach.has(k)) continue;
            reach.add(k);
            stack.push(...next[k]!);
          }
          for (let j = 0; j < events.length; j++) {
            expect(reach.has(j)).toBe(compare(events[i]!.vectorClock, events[j]!.vectorClock) === 'before');
          }
        }
      }),
    );
  });
});

describe('the visible window', () => {
  const many = Array.from({ length: 1000 }, (_, i) => ev(i % 2 ? 'a' : 'b', { [i % 2 ? 'a' : 'b']: Math.floor(i / 2) + 1 }, { time: i * 10 }));
  const layout = layoutTimeline(many, 'time');

  it('finds exactly the events inside [x0, x1]', () => {
    const { start, end } = visibleEvents(layout, 95, 205);
    const xs = Array.from(layout.order.slice(start, end), (i) => layout.x[i]);
    expect(xs).toEqual([100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200]);
  });

  it('includes events on the window edges', () => {
    const { start, end } = visibleEvents(layout, 100, 200);
    expect(end - start).toBe(11);
  });

  it('finds the edges that cross the window, even when both ends lie outside it', () => {
    const events = [ev('a', { a: 1 }, { time: 0 }), ev('b', { a: 1, b: 1 }, { time: 1000 }), ev('c', { c: 1 }, { time: 500 })];
    const l = layoutTimeline(events, 'time');
    expect(visibleEdges(l, 400, 600)).toEqual([0]);
    expect(visibleEdges(l, 1001, 2000)).toEqual([]);
  });
});

describe('the causal cone', () => {
  it('marks the past, the future and the concurrent events of a selection', () => {
    const events = exchange();
    expect(Array.from(causalCone(events, 2))).toEqual([CONE.past, CONE.past, CONE.selected, CONE.concurrent]);
    expect(Array.from(causalCone(events, 0))).toEqual([CONE.selected, CONE.concurrent, CONE.future, CONE.concurrent]);
  });

  it('counts a process missing from a clock as 0', () => {
    const events = [ev('a', { a: 1 }), ev('b', { a: 1, b: 1, c: 0 })];
    expect(causalCone(events, 1)[0]).toBe(CONE.past);
  });
});
