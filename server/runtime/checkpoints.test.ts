import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type EventStore } from '../store/index.js';
import { checkpointKey, CheckpointSaver, savePlan, snapshotKey, type SnapshotSubject } from './checkpoints.js';
import { until } from './testing/engines.js';
import { compiledNode } from './testing/fixtures.js';

/** A node with state `{n}` (an actor by its config) or none, having handled `handled` inputs since its last snapshot. */
function subject(id: string, handled: number, options: { state?: number; snapshotEvery?: number } = {}): SnapshotSubject {
  const config = { key: 'data.k', initialState: {}, reducer: 'return {state};', ...(options.snapshotEvery ? { snapshotEvery: options.snapshotEvery } : {}) };
  const node = compiledNode('actor', config, id);
  const handler = options.state === undefined ? {} : { snapshot: () => ({ n: options.state }) };
  return { node, handler, handledSinceSnapshot: handled };
}

const stores: EventStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

describe('what a save plans', () => {
  it('takes the snapshot of a node that handled snapshotEvery inputs since its last, filed at the progress', () => {
    const plan = savePlan('f', [subject('a', 10, { state: 7, snapshotEvery: 10 }), subject('b', 9, { state: 1, snapshotEvery: 10 })], { progress: 42, resumeFrom: 0, saved: 0 }, false);
    expect(plan.snapshots.map((s) => s.snapshot)).toEqual([{ key: snapshotKey('f', 'a'), state: { n: 7 }, position: 42 }]);
  });

  it('snapshots every node with state at the end of a run, and none without', () => {
    const plan = savePlan('f', [subject('a', 0, { state: 1 }), subject('b', 3, { state: 2 }), subject('c', 500)], { progress: 5, resumeFrom: 0, saved: 5 }, true);
    expect(plan.snapshots.map((s) => s.snapshot.key)).toEqual([snapshotKey('f', 'a'), snapshotKey('f', 'b')]);
  });

  it('is due every 100 inputs when the node does not say', () => {
    const due = (handled: number) => savePlan('f', [subject('a', handled, { state: 1 })], { progress: 1, resumeFrom: 0, saved: 1 }, false).snapshots.length;
    expect([due(99), due(100)]).toEqual([0, 1]);
  });

  it('writes the checkpoint only when it moved, and never below where the run resumed', () => {
    expect(savePlan('f', [], { progress: 10, resumeFrom: 0, saved: 10 }, false).checkpoint).toBeNull();
    expect(savePlan('f', [], { progress: 12, resumeFrom: 0, saved: 10 }, false).checkpoint).toBe(12);
    expect(savePlan('f', [], { progress: 3, resumeFrom: 8, saved: 5 }, false).checkpoint).toBe(8);
  });
});

describe('a run saving its standing', () => {
  it('saves the snapshots and the checkpoint, sets the nodes back to counting from 0, and remembers what it saved', async () => {
    const store = await openStore('memory:');
    stores.push(store);
    const saver = new CheckpointSaver(store, 'f', 0);
    const actor = subject('a', 100, { state: 3 });
    await saver.carryOut(savePlan('f', [actor], { progress: 20, resumeFrom: 0, saved: saver.saved }, false));
    expect(await store.loadSnapshot(snapshotKey('f', 'a'))).toEqual({ key: snapshotKey('f', 'a'), state: { n: 3 }, position: 20 });
    expect(await store.getCheckpoint(checkpointKey('f'))).toBe(20);
    expect(actor.handledSinceSnapshot).toBe(0);
    expect(saver.saved).toBe(20);
  });

  it('saves on its timer until stopped, and reports a failed save without stopping', async () => {
    const saver = new CheckpointSaver({ saveSnapshot: async () => {}, setCheckpoints: async () => {} }, 'f', 0);
    let saves = 0;
    const errors: unknown[] = [];
    saver.every(5, async () => {
      saves++;
      if (saves === 1) throw new Error('disk busy');
    }, (error) => errors.push(error));
    await until(() => saves >= 3);
    saver.stop();
    const stoppedAt = saves;
    await new Promise((r) => setTimeout(r, 30));
    expect(saves).toBe(stoppedAt);
    expect(errors).toEqual([new Error('disk busy')]);
  });
});
