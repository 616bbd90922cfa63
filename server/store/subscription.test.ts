import { describe, expect, it } from 'vitest';
import { Signal, trackedSubscription } from './subscription.js';
import { draft, storedFrom } from './testing/fixtures.js';
import type { Subscription } from './types.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('subscriptions', () => {
  it('leave the open set and call onClose once, when closed and when they stop on an error', async () => {
    const open = new Set<Subscription>();
    const closes: string[] = [];
    const closed = trackedSubscription(open, { after: 0, onEvents: async () => {} }, () => ({ events: [], upTo: 0 }), new Signal(), () => closes.push('asked'));
    const failing: Subscription = trackedSubscription(
      open,
      { after: 0, onEvents: async () => {}, onError: () => {} },
      () => {
        throw new Error('the read failed');
      },
      new Signal(),
      () => closes.push('failed'),
    );
    await settle();
    expect(closes).toEqual(['failed']);
    expect(open.has(failing)).toBe(false);
    closed.close();
    closed.close();
    expect(closes).toEqual(['failed', 'asked']);
    expect(open.size).toBe(0);
  });

  it('deliver the pages read after the cursor, in order', async () => {
    const log = [storedFrom(draft(), 1, 1), storedFrom(draft(), 2, 2)];
    const seen: number[] = [];
    const subscription = trackedSubscription(
      new Set(),
      { after: 0, onEvents: async (events) => void seen.push(...events.map((e) => e.position)) },
      (after) => ({ events: log.filter((e) => e.position > after), upTo: 2 }),
      new Signal(),
    );
    await settle();
    subscription.close();
    expect(seen).toEqual([1, 2]);
  });
});
