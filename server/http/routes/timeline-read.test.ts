/**
 * `readTimeline` on the memory store: forwards and backwards pages and where `next` points, and a large read that
 * lets the event loop go between its slices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDraft } from '../../../shared/event.js';
import { openMemoryStore } from '../../store/index.js';
import { readTimeline, SLICE } from './timeline-read.js';

const EVENTS = 6000;
const store = openMemoryStore();

const draft = (i: number): EventDraft => ({
  id: `e-${i}`,
  type: i % 2 === 0 ? 'reading.even' : 'reading.odd',
  source: 'test://read',
  time: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
  subject: null,
  datacontenttype: 'application/json',
  data: { i },
  stream: 'read',
  process: 'p',
  vectorClock: { p: i + 1 },
  correlationId: `e-${i}`,
  causationId: null,
  flowId: null,
  nodeId: null,
  revision: null,
  metadata: {},
});

beforeAll(async () => {
  for (let i = 0; i < EVENTS; i += 1000) await store.append(Array.from({ length: 1000 }, (_, k) => draft(i + k)));
});
afterAll(() => store.close());

describe('readTimeline', () => {
  it('reads forwards from after, limit events at most, next the last position read (null at the end)', async () => {
    const first = await readTimeline(store, { filter: {}, limit: 10, order: 'oldest' });
    expect(first.events.map((e) => e.position)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(first.next).toBe(10);
    const last = await readTimeline(store, { filter: {}, limit: 10, order: 'oldest', after: EVENTS - 4 });
    expect(last.events).toHaveLength(4);
    expect(last.next).toBeNull();
  });

  it('reads backwards one window of limit positions at a time: a filtered page holds fewer, next is the window start', async () => {
    const newest = await readTimeline(store, { filter: { types: ['reading.even'] }, limit: 10, order: 'newest' });
    expect(newest.events.map((e) => e.position)).toEqual([EVENTS - 9, EVENTS - 7, EVENTS - 5, EVENTS - 3, EVENTS - 1]);
    expect(newest.next).toBe(EVENTS - 9);
    const older = await readTimeline(store, { filter: {}, limit: 10, order: 'newest', before: newest.next! });
    expect(older.events.map((e) => e.position)).toEqual(Array.from({ length: 10 }, (_, i) => EVENTS - 19 + i));
    const oldest = await readTimeline(store, { filter: {}, limit: 10, order: 'newest', before: 4 });
    expect(oldest).toEqual({ events: [expect.objectContaining({ position: 1 }), expect.objectContaining({ position: 2 }), expect.objectContaining({ position: 3 })], next: null });
  });

  it('reads a large page in slices, letting the event loop turn between them', async () => {
    let turns = 0;
    let reading = true;
    const spin = () => {
      if (!reading) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const { events } = await readTimeline(store, { filter: {}, limit: EVENTS, order: 'oldest' });
    reading = false;
    expect(events).toHaveLength(EVENTS);
    // At most SLICE.max events per slice: at least this many slices, each followed by a turn.
    expect(turns).toBeGreaterThanOrEqual(Math.floor(EVENTS / SLICE.max));
  });

  it('keeps the events whose payload holds the search text, whatever its case', async () => {
    const { events } = await readTimeline(store, { filter: {}, limit: EVENTS, order: 'oldest', text: '"I":5999' });
    expect(events.map((e) => e.id)).toEqual(['e-5999']);
  });
});
