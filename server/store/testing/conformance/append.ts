import { describe, expect, it } from 'vitest';
import type { EventDraft } from '../../../../shared/event.js';
import { isStoreError } from '../../types.js';
import type { SuiteContext } from './context.js';
import { appendAll, draft, drafts, expectStoreError, ids, positions, storedFrom } from '../fixtures.js';

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

    it('returns the stored event with duplicate: true when a source and id are appended again with the same content, and writes nothing', async () => {
      const store = ctx.store();
      const original = draft({ data: { v: 'first', n: [1, 2] }, subject: 'sensor-7' });
      const [stored] = await appendAll(store, [original]);
      // A retry: stamped again (time, clock, process), other extensions, its data's keys in another order.
      const retry = { ...original, data: { n: [1, 2], v: 'first' }, time: new Date().toISOString(), process: 'edge-1', vectorClock: { 'edge-1': 1 }, metadata: { traceparent: '00-1' } };
      expect(await store.append([retry])).toEqual([{ event: stored, duplicate: true }]);
      expect(await store.head()).toBe(1);
    });

    it('treats a repeated source and id with the same content inside one batch as a duplicate of its first occurrence', async () => {
      const store = ctx.store();
      const d = draft();
      const results = await store.append([d, { ...d, vectorClock: { main: 999 } }, draft()]);
      expect(results.map((r) => r.duplicate)).toEqual([false, true, false]);
      expect(results[1]!.event).toEqual(results[0]!.event);
      expect(positions(results.map((r) => r.event))).toEqual([1, 1, 2]);
    });

    it('stores the same id from two sources as two events; get answers the first stored, or the one of the source asked', async () => {
      const store = ctx.store();
      const a = draft({ id: 'shared', source: 'test://a', data: { from: 'a' } });
      const b = draft({ id: 'shared', source: 'test://b', data: { from: 'b' } });
      const [first] = await store.append([a]);
      const [second] = await store.append([b]);
      expect(first).toEqual({ event: storedFrom(a, 1, 1), duplicate: false });
      expect(second).toEqual({ event: storedFrom(b, 2, 2), duplicate: false });
      const [third] = await store.append([draft({ id: 'shared', source: 'test://c' })], { namespace: 'replay:1' });
      expect(third!.duplicate).toBe(false);
      expect(await store.get('shared')).toEqual(first!.event);
      expect(await store.get('shared', { source: 'test://b' })).toEqual(second!.event);
      expect(await store.get('shared', { source: 'test://c' })).toBeNull();
      expect((await store.causality('shared', { source: 'test://b' }))!.event).toEqual(second!.event);
      expect(ids(await store.read({ correlationId: 'shared' }))).toEqual(['shared', 'shared']);
      expect(await store.append([{ ...b }])).toEqual([{ event: second!.event, duplicate: true }]);
    });

    it('compares type, subject, datacontenttype, stream and data: a stored source and id with another of them is refused', async () => {
      const store = ctx.store();
      const original = draft({ subject: 'sensor-7', data: { t: 4.2 } });
      await store.append([original]);
      const changes: Partial<EventDraft>[] = [
        { type: 'other.type' },
        { subject: null },
        { datacontenttype: 'text/plain' },
        { stream: 'elsewhere' },
        { data: { t: 4.3 } },
        { data: { t: 4.2, more: true } },
      ];
      for (const change of changes) await expectStoreError(store.append([{ ...original, ...change }]), 'duplicate_conflict');
      expect(await store.head()).toBe(1);
    });

    it('refuses a stored source and id with other content, naming both events, and writes nothing of the call', async () => {
      const store = ctx.store();
      await appendAll(store, [draft()]);
      const original = draft({ stream: 'orders' });
      await appendAll(store, [original]);
      const innocent = draft({ stream: 'orders' });
      const error = await store.append([innocent, { ...original, data: { changed: true }, stream: 'other' }]).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'duplicate_conflict',
        details: {
          source: original.source,
          id: original.id,
          fields: ['stream', 'data'],
          first: { index: null, position: 2, stream: 'orders' },
          second: { index: 1, stream: 'other' },
        },
      });
      expect((error as Error).message).toContain('position 2');
      expect(await store.get(innocent.id)).toBeNull();
      expect(await store.head()).toBe(2);
      const [next] = await appendAll(store, [innocent]);
      expect(next).toMatchObject({ position: 3, version: 2 });
    });

    it('refuses a batch that holds a source and id twice with other content, naming both indexes, and writes none of it', async () => {
      const store = ctx.store();
      const twice = draft({ data: { v: 1 } });
      const batch = [draft(), twice, draft(), { ...twice, data: { v: 2 } }];
      const error = await store.append(batch).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'duplicate_conflict',
        details: { id: twice.id, fields: ['data'], first: { index: 1, position: null }, second: { index: 3 } },
      });
      expect((error as Error).message).toContain('#1 and #3');
      expect(await store.head()).toBe(0);
      for (const d of batch) expect(await store.get(d.id)).toBeNull();
    });

    it('keeps the other calls of a group commit when one call conflicts with a stored event or an earlier call', async () => {
      const store = ctx.store();
      const original = draft({ data: { v: 1 } });
      await appendAll(store, [original]);
      const pair = draft({ data: { v: 'first' } });
      const calls = [
        [draft({ stream: 'a' })],
        [draft({ stream: 'b' }), { ...original, data: { v: 2 } }],
        [pair],
        [draft({ stream: 'c' })],
        [{ ...pair, data: { v: 'second' } }],
        [draft({ stream: 'd' })],
      ];
      const outcomes = await Promise.allSettled(calls.map((c) => store.append(c)));
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      for (const i of [1, 4]) expect(isStoreError((outcomes[i] as PromiseRejectedResult).reason, 'duplicate_conflict')).toBe(true);
      expect(ids(await store.read({ after: 1 }))).toEqual([calls[0]![0]!.id, pair.id, calls[3]![0]!.id, calls[5]![0]!.id]);
      expect(positions(await store.read())).toEqual([1, 2, 3, 4, 5]);
      expect(await store.readStream('b')).toEqual([]);
    });

    it('keeps the first of a derived event appended again with other content: a node run again after a crash', async () => {
      const store = ctx.store();
      const derived = draft({ flowId: 'f-1', nodeId: 'n2', causationId: 'cause-1', data: { at: 1 } });
      const [first] = await appendAll(store, [derived]);
      const [again] = await store.append([{ ...derived, data: { at: 2 }, type: 'changed' }]);
      expect(again).toEqual({ event: first, duplicate: true });
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
