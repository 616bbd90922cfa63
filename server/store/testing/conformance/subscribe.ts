import { describe, expect, it, vi } from 'vitest';
import type { StoredEvent } from '../../../../shared/event.js';
import type { EventStore, SubscribeOptions, Subscription } from '../../types.js';
import type { SuiteContext } from './context.js';
import { appendAll, draft, drafts, ids, positions, sleep } from '../fixtures.js';

interface Collector {
  batches: StoredEvent[][];
  events: () => StoredEvent[];
  subscription: Subscription;
  waitFor: (count: number) => Promise<void>;
}

function collect(store: EventStore, options: Partial<SubscribeOptions> = {}): Collector {
  const batches: StoredEvent[][] = [];
  const events = () => batches.flat();
  const subscription = store.subscribe({
    after: 0,
    onEvents: (batch) => {
      batches.push(batch);
    },
    ...options,
  });
  const waitFor = (count: number) =>
    vi.waitFor(() => expect(events().length).toBeGreaterThanOrEqual(count), { timeout: 5000, interval: 5 });
  return { batches, events, subscription, waitFor };
}

const strictlyIncreasing = (events: StoredEvent[]) => events.every((e, i) => i === 0 || events[i - 1]!.position < e.position);

export function describeSubscribe(ctx: SuiteContext): void {
  describe('subscribe', () => {
    it('catches up from after, then delivers events appended later', async () => {
      const store = ctx.store();
      await appendAll(store, drafts(5));
      const c = collect(store, { after: 2 });
      await c.waitFor(3);
      expect(positions(c.events())).toEqual([3, 4, 5]);
      await appendAll(store, drafts(2));
      await c.waitFor(5);
      expect(positions(c.events())).toEqual([3, 4, 5, 6, 7]);
      c.subscription.close();
    });

    it('hands events over in position order, in batches of at most batchSize', async () => {
      const store = ctx.store();
      await appendAll(store, drafts(25));
      const c = collect(store, { batchSize: 10 });
      await c.waitFor(25);
      expect(c.batches.map((b) => b.length)).toEqual([10, 10, 5]);
      expect(positions(c.events())).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      c.subscription.close();
    });

    it('delivers every event once and in order while appends keep coming', async () => {
      const store = ctx.store();
      const c = collect(store, { batchSize: 7 });
      const calls: Promise<unknown>[] = [];
      for (let round = 0; round < 20; round++) {
        calls.push(store.append(drafts(3)));
        if (round % 4 === 0) await sleep(1);
      }
      await Promise.all(calls);
      await c.waitFor(60);
      await sleep(20);
      expect(positions(c.events())).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      c.subscription.close();
    });

    it('respects filters, live and during catch-up', async () => {
      const store = ctx.store();
      const wanted = [draft({ type: 'alert.raised' }), draft({ type: 'alert.cleared', flowId: 'f-1' })];
      await appendAll(store, [draft(), wanted[0]!, draft()]);
      const c = collect(store, { types: ['alert.*'] });
      const byFlow = collect(store, { flowId: 'f-1' });
      await c.waitFor(1);
      await appendAll(store, [draft(), wanted[1]!, draft()]);
      await c.waitFor(2);
      await byFlow.waitFor(1);
      await sleep(20);
      expect(ids(c.events())).toEqual(ids(wanted));
      expect(ids(byFlow.events())).toEqual([wanted[1]!.id]);
      c.subscription.close();
      byFlow.subscription.close();
    });

    it('sees only the namespace it subscribed to', async () => {
      const store = ctx.store();
      const live = collect(store);
      const replay = collect(store, { namespace: 'replay:s' });
      const inReplay = draft();
      await store.append([draft()]);
      await store.append([inReplay], { namespace: 'replay:s' });
      await store.append([draft()]);
      await live.waitFor(2);
      await replay.waitFor(1);
      await sleep(20);
      expect(positions(live.events())).toEqual([1, 3]);
      expect(ids(replay.events())).toEqual([inReplay.id]);
      live.subscription.close();
      replay.subscription.close();
    });

    it('stops delivering once closed', async () => {
      const store = ctx.store();
      const c = collect(store);
      await appendAll(store, drafts(2));
      await c.waitFor(2);
      c.subscription.close();
      await appendAll(store, drafts(3));
      await sleep(50);
      expect(c.events()).toHaveLength(2);
    });

    it('waits for a slow handler before handing over the next batch', async () => {
      const store = ctx.store();
      let inFlight = 0;
      let maxInFlight = 0;
      const seen: StoredEvent[] = [];
      const subscription = store.subscribe({
        after: 0,
        batchSize: 2,
        onEvents: async (batch) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await sleep(15);
          seen.push(...batch);
          inFlight -= 1;
        },
      });
      for (let i = 0; i < 5; i++) {
        await appendAll(store, drafts(2));
        await sleep(5);
      }
      await vi.waitFor(() => expect(seen).toHaveLength(10), { timeout: 5000 });
      expect(maxInFlight).toBe(1);
      expect(strictlyIncreasing(seen)).toBe(true);
      subscription.close();
    });

    it('reports an error thrown by the handler to onError and stops', async () => {
      const store = ctx.store();
      const errors: unknown[] = [];
      let calls = 0;
      const subscription = store.subscribe({
        after: 0,
        onEvents: () => {
          calls += 1;
          throw new Error('handler failed');
        },
        onError: (error) => errors.push(error),
      });
      await appendAll(store, drafts(1));
      await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 5000 });
      await appendAll(store, drafts(1));
      await sleep(30);
      expect(calls).toBe(1);
      expect(String(errors[0])).toContain('handler failed');
      subscription.close();
    });
  });
}
