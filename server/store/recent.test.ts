import { describe, expect, it } from 'vitest';
import { RecentEvents } from './recent.js';
import { draft, storedFrom } from './testing/fixtures.js';

const held = (position: number, namespace = 'live', type = 'reading.recorded') => ({
  namespace,
  timeKey: '2026-01-01T00:00:00.000000000Z',
  event: storedFrom(draft({ type }), position, position),
});

describe('recent events', () => {
  it('serves the events committed after a position it covers, in order, with the head as upTo', () => {
    const recent = new RecentEvents(10);
    const reader = recent.follow(10);
    recent.add([held(11), held(12)], 12);
    recent.add([held(13)], 13);
    const page = reader.page('live', {}, 11, 100);
    expect(page?.events.map((e) => e.position)).toEqual([12, 13]);
    expect(page?.upTo).toBe(13);
  });

  it('cannot vouch for positions before it started or that it no longer holds', () => {
    const recent = new RecentEvents(10, 2);
    recent.follow(10);
    expect(recent.page('live', {}, 9, 100)).toBeNull();
    recent.add([held(11), held(12), held(13)], 13);
    expect(recent.page('live', {}, 10, 100)).toBeNull();
    expect(recent.page('live', {}, 11, 100)?.events.map((e) => e.position)).toEqual([12, 13]);
  });

  it('keeps to the namespace and the filter, and stops at the limit', () => {
    const recent = new RecentEvents(0);
    recent.follow(0);
    recent.add([held(1), held(2, 'replay:x'), held(3, 'live', 'other'), held(4), held(5)], 5);
    expect(recent.page('live', { types: ['reading.*'] }, 0, 100)?.events.map((e) => e.position)).toEqual([1, 4, 5]);
    const limited = recent.page('live', {}, 0, 2);
    expect(limited?.events.map((e) => e.position)).toEqual([1, 3]);
    expect(limited?.upTo).toBe(3);
  });

  it('takes a transaction of more events than a function call takes arguments', () => {
    const recent = new RecentEvents(0, 300_000);
    recent.follow(0);
    const many = Array.from({ length: 200_000 }, (_, i) => ({ namespace: 'live', timeKey: 'k', event: { position: i + 1 } as never }));
    recent.add(many, 200_000);
    expect(recent.page('live', {}, 199_998, 10)?.events).toHaveLength(2);
  });

  it('after a reset covers only what is committed from then on', () => {
    const recent = new RecentEvents(0);
    recent.follow(0);
    recent.add([held(1)], 1);
    recent.reset(7);
    expect(recent.page('live', {}, 0, 100)).toBeNull();
    expect(recent.page('live', {}, 7, 100)?.events).toEqual([]);
  });

  it('holds nothing with no reader: a page before the head is read from the database, one at the head is empty', () => {
    const recent = new RecentEvents(0);
    recent.add([held(1), held(2)], 2);
    expect(recent.page('live', {}, 0, 100)).toBeNull();
    expect(recent.page('live', {}, 2, 100)?.events).toEqual([]);
    recent.add([held(3)], 3);
    expect(recent.page('live', {}, 2, 100)).toBeNull();
  });

  it('holds what the slowest reader has yet to read and lets go of what every reader has read', () => {
    const recent = new RecentEvents(0);
    const fast = recent.follow(0);
    const slow = recent.follow(0);
    recent.add([held(1), held(2), held(3)], 3);
    expect(fast.page('live', {}, 0, 100)?.events.map((e) => e.position)).toEqual([1, 2, 3]);
    expect(fast.page('live', {}, 3, 100)?.events).toEqual([]);
    expect(slow.page('live', {}, 1, 100)?.events.map((e) => e.position)).toEqual([2, 3]);
    recent.add([held(4)], 4);
    // Event 1 is read by both: let go. The slow reader still reads from 1 on.
    expect(recent.page('live', {}, 0, 100)).toBeNull();
    expect(slow.page('live', {}, 1, 100)?.events.map((e) => e.position)).toEqual([2, 3, 4]);
    slow.stop();
    recent.add([held(5)], 5);
    // Only the fast reader is left, after 3.
    expect(recent.page('live', {}, 2, 100)).toBeNull();
    expect(fast.page('live', {}, 3, 100)?.events.map((e) => e.position)).toEqual([4, 5]);
  });

  it('holds no more than its capacity for a reader that does not keep up', () => {
    const recent = new RecentEvents(0, 3);
    const reader = recent.follow(0);
    recent.add([held(1), held(2), held(3), held(4), held(5)], 5);
    expect(reader.page('live', {}, 0, 100)).toBeNull();
    expect(reader.page('live', {}, 2, 100)?.events.map((e) => e.position)).toEqual([3, 4, 5]);
  });
});
