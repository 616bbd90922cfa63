import { describe, expect, it } from 'vitest';
import { storedEvent } from '../runtime/testing/fixtures.js';
import { RecentEvents } from './recent.js';

const held = (position: number, namespace = 'live', type = 'reading.recorded') => ({
  namespace,
  timeKey: '2026-01-01T00:00:00.000000000Z',
  event: storedEvent({ position, type }),
});

describe('recent events', () => {
  it('serves the events committed after a position it covers, in order, with the head as upTo', () => {
    const recent = new RecentEvents(10);
    recent.add([held(11), held(12)], 12);
    recent.add([held(13)], 13);
    const page = recent.page('live', {}, 11, 100);
    expect(page?.events.map((e) => e.position)).toEqual([12, 13]);
    expect(page?.upTo).toBe(13);
  });

  it('cannot vouch for positions before it started or that it no longer holds', () => {
    const recent = new RecentEvents(10, 2);
    expect(recent.page('live', {}, 9, 100)).toBeNull();
    recent.add([held(11), held(12), held(13)], 13);
    expect(recent.page('live', {}, 10, 100)).toBeNull();
    expect(recent.page('live', {}, 11, 100)?.events.map((e) => e.position)).toEqual([12, 13]);
  });

  it('keeps to the namespace and the filter, and stops at the limit', () => {
    const recent = new RecentEvents(0);
    recent.add([held(1), held(2, 'replay:x'), held(3, 'live', 'other'), held(4), held(5)], 5);
    expect(recent.page('live', { types: ['reading.*'] }, 0, 100)?.events.map((e) => e.position)).toEqual([1, 4, 5]);
    const limited = recent.page('live', {}, 0, 2);
    expect(limited?.events.map((e) => e.position)).toEqual([1, 3]);
    expect(limited?.upTo).toBe(3);
  });

  it('takes a transaction of more events than a function call takes arguments', () => {
    const recent = new RecentEvents(0, 300_000);
    const many = Array.from({ length: 200_000 }, (_, i) => ({ namespace: 'live', timeKey: 'k', event: { position: i + 1 } as never }));
    recent.add(many, 200_000);
    expect(recent.page('live', {}, 199_998, 10)?.events).toHaveLength(2);
  });

  it('after a reset covers only what is committed from then on', () => {
    const recent = new RecentEvents(0);
    recent.add([held(1)], 1);
    recent.reset(7);
    expect(recent.page('live', {}, 0, 100)).toBeNull();
    expect(recent.page('live', {}, 7, 100)?.events).toEqual([]);
  });
});
