import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.js';
import { appendAll, draft, drafts, expectStoreError, ids, positions, storedFrom } from './fixtures.js';

export function describeAppend(ctx: SuiteContext): void {
  describe('append', () => {
    it('stores every field of an event and assigns position and version', async () => {
      const d = draft({
        subject: 'sensor-7',
        causationId: 'cause-1',
        flowId: 'f-1',
        nodeId: 'n1',
        revision: 3,
        metadata: { traceparent: '00-abc', nested: { list: [1, 'two', null] } },
        data: { t: 4.2, tags: ['cold', 'ok'], deep: { unicode: 'ÄΩ✓', empty: {} } },
        vectorClock: { main: 5, 'sensor-7': 12 },
      });
      const [result] = await ctx.store().append([d]);
      const expected = storedFrom(d, 1, 1);
      expect(result).toEqual({ event: expected, duplicate: false });
      expect(await ctx.store().get(d.id)).toEqual(expected);
    });

    it('resolves an empty batch with no results and writes nothing', async () => {
      expect(await ctx.store().append([])).toEqual([]);
      expect(await ctx.store().head()).toBe(0);
    });

    it('assigns positions without gaps, in call order, across sequential and concurrent calls', async () => {
      const store = ctx.store();
      const first = await appendAll(store, drafts(3));
      const [a, b, c] = await Promise.all([appendAll(store, drafts(2)), appendAll(store, drafts(1)), appendAll(store, drafts(4))]);
      expect(positions([...first, ...a!, ...b!, ...c!])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(await store.head()).toBe(10);
    });

    it('numbers the events of a stream 1, 2, 3 across batches and keeps streams apart', async () => {
      const store = ctx.store();
      await appendAll(store, drafts(2, () => ({ stream: 'orders-1' })));
      await appendAll(store, [draft({ stream: 'orders-2' }), draft({ stream: 'orders-1' })]);
      const one = await store.readStream('orders-1');
      expect(one.map((e) => e.version)).toEqual([1, 2, 3]);
      expect((await store.readStream('orders-2')).map((e) => e.version)).toEqual([1]);
    });

    it('accepts an append whose expected version matches, 0 meaning an empty stream', async () => {
      const store = ctx.store();
      const [first] = await appendAll(store, [draft({ stream: 's', expectedVersion: 0 })]);
      const [second] = await appendAll(store, [draft({ stream: 's', expectedVersion: 1 })]);
      expect([first!.version, second!.version]).toEqual([1, 2]);
    });

    it('rejects an append with a stale expected version and writes nothing', async () => {
      const store = ctx.store();
      await appendAll(store, drafts(2, () => ({ stream: 's' })));
      const stale = draft({ stream: 's', expectedVersion: 1 });
      await expectStoreError(store.append([stale]), 'version_conflict');
      expect(await store.get(stale.id)).toBeNull();
      expect(await store.head()).toBe(2);
    });

    it('rejects an expected version on an empty stream other than 0', async () => {
      await expectStoreError(ctx.store().append([draft({ stream: 'empty', expectedVersion: 1 })]), 'version_conflict');
    });

    it('names the stream and both versions in a version conflict', async () => {
      const store = ctx.store();
      await appendAll(store, [draft({ stream: 'accounts-9' })]);
      const error = await store.append([draft({ stream: 'accounts-9', expectedVersion: 0 })]).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'version_conflict',
        details: { stream: 'accounts-9', expectedVersion: 0, actualVersion: 1 },
      });
    });

    it('writes nothing of a batch when one of its events conflicts', async () => {
      const store = ctx.store();
      await appendAll(store, [draft({ stream: 's' })]);
      const batch = [draft({ stream: 'other' }), draft({ stream: 's' }), draft({ stream: 's', expectedVersion: 0 })];
      await expectStoreError(store.append(batch), 'version_conflict');
      for (const d of batch) expect(await store.get(d.id)).toBeNull();
      expect(await store.head()).toBe(1);
      expect(await store.readStream('other')).toEqual([]);
      const [next] = await appendAll(store, [draft({ stream: 's', expectedVersion: 1 })]);
      expect(next).toMatchObject({ position: 2, version: 2 });
    });

    it('checks expected versions against earlier events of the same batch', async () => {
      const store = ctx.store();
      const ok = await appendAll(store, [draft({ stream: 's', expectedVersion: 0 }), draft({ stream: 's', expectedVersion: 1 })]);
      expect(ok.map((e) => e.version)).toEqual([1, 2]);
      await expectStoreError(
        store.append([draft({ stream: 't', expectedVersion: 0 }), draft({ stream: 't', expectedVersion: 0 })]),
        'version_conflict',
      );
      expect(await store.readStream('t')).toEqual([]);
    });

    it('keeps concurrent appends committed when another call in the same group commit conflicts', async () => {
      const store = ctx.store();
      await appendAll(store, [draft({ stream: 's' })]);
      const before = draft({ stream: 'a' });
      const conflicting = draft({ stream: 's', expectedVersion: 0 });
      const after = draft({ stream: 'b' });
      const [x, y, z] = await Promise.allSettled([store.append([before]), store.append([conflicting]), store.append([after])]);
      expect(x.status).toBe('fulfilled');
      expect(y.status).toBe('rejected');
      expect(z.status).toBe('fulfilled');
      expect(await store.get(conflicting.id)).toBeNull();
      expect(positions(await store.read())).toEqual([1, 2, 3]);
      expect(ids(await store.read({ after: 1 }))).toEqual([before.id, after.id]);
    });

    it('lets only one of two concurrent appends that expect the same version win', async () => {
      const store = ctx.store();
      const outcomes = await Promise.allSettled([
        store.append([draft({ stream: 'race', expectedVersion: 0 })]),
        store.append([draft({ stream: 'race', expectedVersion: 0 })]),
      ]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(await store.readStream('race')).toHaveLength(1);
    });

    it('returns the stored event with duplicate: true when an id is appended again, and writes nothing', async () => {
      const store = ctx.store();
      const original = draft({ data: { v: 'first' } });
      const [stored] = await appendAll(store, [original]);
      const again = await store.append([{ ...original, data: { v: 'second' }, stream: 'elsewhere' }]);
      expect(again).toEqual([{ event: stored, duplicate: true }]);
      expect(await store.head()).toBe(1);
      expect(await store.readStream('elsewhere')).toEqual([]);
    });

    it('treats a repeated id inside one batch as a duplicate of its first occurrence', async () => {
      const store = ctx.store();
      const d = draft();
      const results = await store.append([d, { ...d, data: { other: true } }, draft()]);
      expect(results.map((r) => r.duplicate)).toEqual([false, true, false]);
      expect(results[1]!.event).toEqual(results[0]!.event);
      expect(positions(results.map((r) => r.event))).toEqual([1, 1, 2]);
    });

    it('stores an id appended by two concurrent calls once', async () => {
      const store = ctx.store();
      const d = draft();
      const [a, b] = await Promise.all([store.append([d]), store.append([d])]);
      expect([a![0]!.duplicate, b![0]!.duplicate]).toEqual([false, true]);
      expect(b![0]!.event).toEqual(a![0]!.event);
      expect(await store.head()).toBe(1);
    });

    it('answers a retried append as a duplicate even when its expected version is now stale', async () => {
      const store = ctx.store();
      const d = draft({ stream: 's', expectedVersion: 0 });
      await store.append([d]);
      const [retry] = await store.append([d]);
      expect(retry).toMatchObject({ duplicate: true, event: { id: d.id, version: 1 } });
    });

    it('keeps ids unique per namespace, not across namespaces', async () => {
      const store = ctx.store();
      const d = draft();
      const [live] = await store.append([d]);
      const [replay] = await store.append([d], { namespace: 'replay:1' });
      expect(live!.duplicate).toBe(false);
      expect(replay).toMatchObject({ duplicate: false, event: { id: d.id, position: 2, version: 1 } });
    });

    it('rejects an event whose clock does not count its own process, and writes nothing of the call', async () => {
      const store = ctx.store();
      const good = draft();
      await expectStoreError(store.append([good, draft({ process: 'edge-1', vectorClock: { main: 3 } })]), 'invalid_event');
      await expectStoreError(store.append([draft({ process: 'edge-1', vectorClock: { 'edge-1': 0 } })]), 'invalid_event');
      expect(await store.get(good.id)).toBeNull();
      expect(await store.head()).toBe(0);
    });

    it('rejects an event whose time is not RFC 3339', async () => {
      await expectStoreError(ctx.store().append([draft({ time: 'yesterday' })]), 'invalid_event');
    });
  });
}
