import { describe, expect, it } from 'vitest';
import type { EventDraft } from '../../../../shared/event.js';
import type { ReadOptions } from '../../types.js';
import type { SuiteContext } from './context.js';
import { appendAll, draft, drafts, expectStoreError, ids, positions } from '../fixtures.js';

export function describeRead(ctx: SuiteContext): void {
  describe('read', () => {
    it('reads live events in position order, after a position, up to a limit', async () => {
      const store = ctx.store();
      await appendAll(store, drafts(10));
      expect(positions(await store.read())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(positions(await store.read({ after: 7 }))).toEqual([8, 9, 10]);
      expect(positions(await store.read({ after: 2, limit: 3 }))).toEqual([3, 4, 5]);
      expect(await store.read({ after: 10 })).toEqual([]);
    });

    it('reads 1000 events by default and at most 10000', async () => {
      const store = ctx.store();
      for (let i = 0; i < 11; i++) await appendAll(store, drafts(1000));
      expect(await store.read()).toHaveLength(1000);
      expect(await store.read({ limit: 20_000 })).toHaveLength(10_000);
    });

    it('filters by exact types and by * patterns', async () => {
      const store = ctx.store();
      const types = ['reading.recorded', 'reading.converted', 'readings.batched', 'alert.raised', 'reading.a.b', 'a?b[c]'];
      const stored = await appendAll(store, types.map((type) => draft({ type })));
      const byTypes = async (...t: string[]) => (await store.read({ types: t })).map((e) => e.type);
      expect(await byTypes('alert.raised')).toEqual(['alert.raised']);
      expect(await byTypes('reading.*')).toEqual(['reading.recorded', 'reading.converted', 'reading.a.b']);
      expect(await byTypes('*.raised', 'readings.batched')).toEqual(['readings.batched', 'alert.raised']);
      expect(await byTypes('*d')).toEqual(['reading.recorded', 'reading.converted', 'readings.batched', 'alert.raised']);
      expect(await byTypes('*')).toEqual(types);
      expect(await byTypes('a?b[c]')).toEqual(['a?b[c]']);
      expect(await byTypes('a?b*')).toEqual(['a?b[c]']);
      expect(await byTypes('reading')).toEqual([]);
      expect(await byTypes('READING.*')).toEqual([]);
      expect(stored).toHaveLength(types.length);
    });

    const attributes: [string, Partial<EventDraft>, Partial<EventDraft>, ReadOptions][] = [
      ['source', { source: 'mqtt://plant/sensor-7' }, { source: 'mqtt://plant/sensor-8' }, { source: 'mqtt://plant/sensor-7' }],
      ['process', { process: 'edge-1', vectorClock: { 'edge-1': 1 } }, { process: 'edge-2', vectorClock: { 'edge-2': 1 } }, { process: 'edge-1' }],
      ['correlationId', { correlationId: 'chain-1' }, { correlationId: 'chain-2' }, { correlationId: 'chain-1' }],
      ['stream', { stream: 'sensor-7' }, { stream: 'sensor-8' }, { stream: 'sensor-7' }],
      ['flowId', { flowId: 'f-1' }, { flowId: null }, { flowId: 'f-1' }],
    ];
    for (const [name, wanted, other, filter] of attributes) {
      it(`filters by ${name}`, async () => {
        const store = ctx.store();
        const events = [draft(wanted), draft(other), draft(wanted), draft(other), draft(wanted)];
        await appendAll(store, events);
        expect(ids(await store.read(filter))).toEqual([events[0]!.id, events[2]!.id, events[4]!.id]);
        expect(ids(await store.read({ ...filter, after: 1, limit: 1 }))).toEqual([events[2]!.id]);
      });
    }

    it('filters by a time range, from inclusive and to exclusive, whatever the offset and precision', async () => {
      const store = ctx.store();
      const times = [
        '2026-03-01T09:59:59.999Z',
        '2026-03-01T10:00:00Z',
        '2026-03-01T12:00:00.5+02:00', // 10:00:00.5 UTC
        '2026-03-01T10:00:01.000001Z',
        '2026-03-01T05:30:00-05:00', // 10:30 UTC
        '2026-03-01T11:00:00.000Z',
      ];
      const events = times.map((time) => draft({ time }));
      await appendAll(store, events);
      const range = await store.read({ from: '2026-03-01T10:00:00.000Z', to: '2026-03-01T11:00:00Z' });
      expect(ids(range)).toEqual([events[1]!.id, events[2]!.id, events[3]!.id, events[4]!.id]);
      expect(range[2]!.time).toBe('2026-03-01T10:00:01.000001Z');
      expect(ids(await store.read({ from: '2026-03-01T10:30:00Z' }))).toEqual([events[4]!.id, events[5]!.id]);
      expect(ids(await store.read({ to: '2026-03-01T10:00:00.4999Z' }))).toEqual([events[0]!.id, events[1]!.id]);
    });

    it('refuses a time bound that is not RFC 3339 with invalid_filter', async () => {
      const store = ctx.store();
      await appendAll(store, drafts(2));
      await expectStoreError(Promise.resolve().then(() => store.read({ from: 'yesterday' })), 'invalid_filter');
      await expectStoreError(Promise.resolve().then(() => store.read({ to: '2026-02-30T00:00:00Z' })), 'invalid_filter');
    });

    it('reads a correlation chain with its root, in position order, and nothing that only shares an id with it', async () => {
      const store = ctx.store();
      const root = draft({ id: 'root' });
      const child = draft({ correlationId: 'root', causationId: 'root' });
      // Another source's event with the root's id starts a chain of its own; another chain's root is not read.
      const namesake = draft({ id: 'root', source: 'test://other', correlationId: 'elsewhere' });
      const grandchild = draft({ correlationId: 'root', causationId: child.id, source: 'test://other' });
      await appendAll(store, [draft({ id: 'unrelated' }), root, child, namesake, draft({ correlationId: 'unrelated' }), grandchild]);
      expect((await store.read({ correlationId: 'root' })).map((e) => [e.id, e.source])).toEqual([
        ['root', 'test://conformance'],
        [child.id, 'test://conformance'],
        [grandchild.id, 'test://other'],
      ]);
      expect(ids(await store.read({ correlationId: 'root', after: 2, limit: 1 }))).toEqual([child.id]);
      expect(ids(await store.read({ correlationId: 'elsewhere' }))).toEqual(['root']);
    });

    it('combines filters', async () => {
      const store = ctx.store();
      const hit = draft({ type: 'reading.recorded', source: 'a', stream: 's1', correlationId: 'c' });
      await appendAll(store, [
        draft({ type: 'reading.recorded', source: 'b', stream: 's1', correlationId: 'c' }),
        hit,
        draft({ type: 'alert.raised', source: 'a', stream: 's1', correlationId: 'c' }),
        draft({ type: 'reading.recorded', source: 'a', stream: 's2', correlationId: 'c' }),
      ]);
      expect(ids(await store.read({ types: ['reading.*'], source: 'a', stream: 's1', correlationId: 'c' }))).toEqual([hit.id]);
    });

    it('never returns events of other namespaces unless asked for one by name', async () => {
      const store = ctx.store();
      const live = draft();
      const replayed = draft();
      const imported = draft();
      await store.append([live]);
      await store.append([replayed], { namespace: 'replay:r1' });
      await store.append([imported], { namespace: 'import:i1' });
      expect(ids(await store.read())).toEqual([live.id]);
      expect(ids(await store.read({ namespace: 'live' }))).toEqual([live.id]);
      expect(ids(await store.read({ namespace: 'replay:r1' }))).toEqual([replayed.id]);
      expect(await store.get(replayed.id)).toBeNull();
      expect(await store.get(replayed.id, { namespace: 'replay:r1' })).toMatchObject({ id: replayed.id, position: 2 });
      expect(await store.readStream('stream-a')).toHaveLength(1);
      expect(await store.readStream('stream-a', 1, { namespace: 'import:i1' })).toHaveLength(1);
      expect(await store.head()).toBe(3);
    });

    it('reads a stream from a version, with a limit', async () => {
      const store = ctx.store();
      await appendAll(store, drafts(5, () => ({ stream: 'orders' })));
      await appendAll(store, [draft({ stream: 'other' })]);
      expect((await store.readStream('orders')).map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
      expect((await store.readStream('orders', 3)).map((e) => e.version)).toEqual([3, 4, 5]);
      expect((await store.readStream('orders', 2, { limit: 2 })).map((e) => e.version)).toEqual([2, 3]);
      expect(await store.readStream('orders', 6)).toEqual([]);
      expect(await store.readStream('missing')).toEqual([]);
    });

    it('gets an event by id and null for an unknown id', async () => {
      const store = ctx.store();
      const [stored] = await appendAll(store, drafts(3));
      expect(await store.get(stored!.id)).toEqual(stored);
      expect(await store.get('no-such-id')).toBeNull();
    });

    it('reports the head as 0 when empty and the highest position over all namespaces', async () => {
      const store = ctx.store();
      expect(await store.head()).toBe(0);
      await appendAll(store, drafts(2));
      await appendAll(store, drafts(3), 'replay:x');
      expect(await store.head()).toBe(5);
    });

    it("returns a process's latest clock: that of its event with the highest own counter", async () => {
      const store = ctx.store();
      await appendAll(store, [
        draft({ process: 'edge-1', vectorClock: { 'edge-1': 2, main: 4 } }),
        draft({ process: 'edge-1', vectorClock: { 'edge-1': 5, main: 7 } }),
        draft({ process: 'edge-1', vectorClock: { 'edge-1': 3, main: 9 } }),
        draft({ process: 'main', vectorClock: { main: 10 } }),
      ]);
      await appendAll(store, [draft({ process: 'edge-1', vectorClock: { 'edge-1': 99 } })], 'replay:x');
      expect(await store.latestClock('edge-1')).toEqual({ 'edge-1': 5, main: 7 });
      expect(await store.latestClock('edge-1', { namespace: 'replay:x' })).toEqual({ 'edge-1': 99 });
      expect(await store.latestClock('nobody')).toBeNull();
    });
  });
}
