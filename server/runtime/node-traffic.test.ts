import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../shared/event.js';
import { mergedTraffic, NodeTraffic, TRAFFIC_KEEP, wireCounters } from './node-traffic.js';

const ev = (position: number) => ({ id: `e${position}`, position }) as StoredEvent;
const ids = (events: StoredEvent[]) => events.map((e) => e.position);

describe('a node’s traffic', () => {
  it('keeps the last few inputs and outputs, newest first, and when it last moved', () => {
    const t = new NodeTraffic();
    expect(t.recent()).toEqual({ in: [], out: [] });
    expect(wireCounters({ in: 1, out: 0, errors: 0, queued: 0 }, 2, t, undefined)).toEqual({ in: 1, out: 0, errors: 0, queued: 2 });
    t.took([1, 2, 3].map((p) => ({ event: ev(p) })));
    t.took(Array.from({ length: 20 }, (_, i) => ({ event: ev(10 + i) })));
    t.sent(ev(100));
    t.sentAll([ev(101), ev(102)]);
    expect(ids(t.recent().in)).toEqual([29, 28, 27, 26, 25]);
    expect(ids(t.recent().out)).toEqual([102, 101, 100]);
    expect(t.recent().in).toHaveLength(TRAFFIC_KEEP);
    const wire = wireCounters({ in: 23, out: 3, errors: 0, queued: 0 }, 0, t, 7);
    expect(wire.keys).toBe(7);
    expect(Date.parse(wire.lastAt!)).toBeGreaterThan(Date.now() - 5_000);
  });

  it('merges the runs of one node by position', () => {
    const merged = mergedTraffic([
      { in: [ev(9), ev(4)], out: [] },
      { in: [ev(8), ev(7), ev(6), ev(5), ev(3)], out: [ev(1)] },
    ]);
    expect(ids(merged.in)).toEqual([9, 8, 7, 6, 5]);
    expect(ids(merged.out)).toEqual([1]);
    expect(mergedTraffic([])).toEqual({ in: [], out: [] });
  });
});
