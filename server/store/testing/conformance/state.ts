import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.js';
import { appendAll, draft, drafts, ids } from '../fixtures.js';

export function describeState(ctx: SuiteContext): void {
  describe('snapshots and checkpoints', () => {
    it('loads null for a snapshot never saved', async () => {
      expect(await ctx.store().loadSnapshot('actor:n5:sensor-7')).toBeNull();
    });

    it('loads the last snapshot saved under a key', async () => {
      const store = ctx.store();
      await store.saveSnapshot({ key: 'actor:n5:sensor-7', state: { count: 1, seen: ['a'] }, position: 10 });
      await store.saveSnapshot({ key: 'actor:n5:sensor-8', state: null, position: 11 });
      await store.saveSnapshot({ key: 'actor:n5:sensor-7', state: { count: 2, seen: ['a', 'b'] }, position: 12 });
      expect(await store.loadSnapshot('actor:n5:sensor-7')).toEqual({
        key: 'actor:n5:sensor-7',
        state: { count: 2, seen: ['a', 'b'] },
        position: 12,
      });
      expect(await store.loadSnapshot('actor:n5:sensor-8')).toEqual({ key: 'actor:n5:sensor-8', state: null, position: 11 });
    });

    it('keeps each snapshot saved under a key and finds the latest filed at or before a position', async () => {
      const store = ctx.store();
      for (const position of [10, 20, 30]) await store.saveSnapshot({ key: 'actor:n5:a', state: { at: position }, position });
      await store.saveSnapshot({ key: 'actor:n5:b', state: { at: 25 }, position: 25 });
      // A second save at one position replaces what is kept there.
      await store.saveSnapshot({ key: 'actor:n5:a', state: { at: 20, again: true }, position: 20 });
      expect(await store.loadSnapshotAt('actor:n5:a', 9)).toBeNull();
      expect(await store.loadSnapshotAt('actor:n5:a', 10)).toEqual({ key: 'actor:n5:a', state: { at: 10 }, position: 10 });
      expect(await store.loadSnapshotAt('actor:n5:a', 29)).toEqual({ key: 'actor:n5:a', state: { at: 20, again: true }, position: 20 });
      expect(await store.loadSnapshotAt('actor:n5:a', 1000)).toEqual({ key: 'actor:n5:a', state: { at: 30 }, position: 30 });
      expect(await store.loadSnapshotAt('actor:n5:b', 24)).toBeNull();
      expect(await store.loadSnapshot('actor:n5:a')).toMatchObject({ position: 20 });
    });

    it('keeps the newest 100 snapshots of a key by default and lets older ones go', async () => {
      const store = ctx.store();
      for (let position = 1; position <= 105; position++) await store.saveSnapshot({ key: 'actor:n5:c', state: position, position });
      expect(await store.loadSnapshotAt('actor:n5:c', 5)).toBeNull();
      expect(await store.loadSnapshotAt('actor:n5:c', 6)).toEqual({ key: 'actor:n5:c', state: 6, position: 6 });
      expect(await store.loadSnapshotAt('actor:n5:c', 105)).toEqual({ key: 'actor:n5:c', state: 105, position: 105 });
    });

    it('returns null for a checkpoint never set', async () => {
      expect(await ctx.store().getCheckpoint('f-1:n2')).toBeNull();
    });

    it('sets many checkpoints at once and overwrites them later', async () => {
      const store = ctx.store();
      await store.setCheckpoints({ 'f-1:n1': 5, 'f-1:n2': 7, 'f-2:n1': 0 });
      await store.setCheckpoints({ 'f-1:n2': 9 });
      expect(await store.getCheckpoint('f-1:n1')).toBe(5);
      expect(await store.getCheckpoint('f-1:n2')).toBe(9);
      expect(await store.getCheckpoint('f-2:n1')).toBe(0);
      await store.setCheckpoints({});
    });
  });

  describe('namespaces', () => {
    it('drops the events of a replay namespace, says how many, and leaves live events alone', async () => {
      const store = ctx.store();
      const live = await appendAll(store, drafts(2));
      const replayed = await appendAll(store, drafts(3, () => ({ stream: 'r' })), 'replay:r1');
      await appendAll(store, drafts(1), 'replay:r2');
      expect(await store.dropNamespace('replay:r1')).toBe(3);
      expect(await store.read({ namespace: 'replay:r1' })).toEqual([]);
      expect(await store.get(replayed[0]!.id, { namespace: 'replay:r1' })).toBeNull();
      expect(ids(await store.read())).toEqual(ids(live));
      expect(await store.read({ namespace: 'replay:r2' })).toHaveLength(1);
      expect(await store.dropNamespace('replay:never')).toBe(0);
    });

    it('starts a dropped namespace afresh: ids are free again, streams restart at 1, positions keep growing', async () => {
      const store = ctx.store();
      const d = draft({ stream: 'r' });
      await store.append([d, draft({ stream: 'r' })], { namespace: 'replay:r1' });
      await store.dropNamespace('replay:r1');
      const [again] = await store.append([{ ...d, expectedVersion: 0 }], { namespace: 'replay:r1' });
      expect(again).toMatchObject({ duplicate: false, event: { id: d.id, version: 1, position: 3 } });
    });

    it('refuses to drop the live namespace', async () => {
      const store = ctx.store();
      await appendAll(store, [draft()]);
      await expect(store.dropNamespace('live')).rejects.toThrow();
      expect(await store.read()).toHaveLength(1);
    });
  });
}
