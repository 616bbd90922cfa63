import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type EventStore } from '../store/index.js';
import { CarefulMode, crashesAt, markCleared, markMoved, markStart, quarantineLetter } from './careful-mode.js';
import { DEADLETTER_STREAM, deriveContext } from './derive.js';
import { ProcessClocks } from './process-clocks.js';
import { compiledNode, storedEvent } from './testing/fixtures.js';

const stores: EventStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

describe('counting the runs that died', () => {
  it('counts none after a run that drained or on a first start, one after a death elsewhere, one more at the same checkpoint', () => {
    expect(crashesAt(10, null, 0)).toBe(0);
    expect(crashesAt(10, -1, 3)).toBe(0);
    expect(crashesAt(10, 4, 1)).toBe(1);
    expect(crashesAt(10, 10, 1)).toBe(2);
  });

  it('keeps the count in the store across starts: a run that dies leaves its mark, one that drains clears it', async () => {
    const store = await openStore('memory:');
    stores.push(store);
    expect(await markStart(store, 'f', 5)).toBe(0);
    // That run died (no drain): the next one starts at the same checkpoint.
    expect(await markStart(store, 'f', 5)).toBe(1);
    expect(await markStart(store, 'f', 5)).toBe(2);
    // A careful run moved its mark on with its checkpoint before dying: the count goes on there.
    await store.setCheckpoints(markMoved('f', 6));
    expect(await markStart(store, 'f', 6)).toBe(3);
    expect(await markStart(store, 'f', 9)).toBe(1);
    await store.setCheckpoints(markCleared('f'));
    expect(await markStart(store, 'f', 9)).toBe(0);
  });
});

describe('careful mode', () => {
  it('is off after a clean run', () => {
    const mode = CarefulMode.after(0, 100);
    expect(mode.covers(50, 10)).toBe(false);
    expect(mode.takeQuarantine()).toBe(false);
  });

  it('after one death covers the inputs after the checkpoint up to the head at start, and sets none aside', () => {
    const mode = CarefulMode.after(1, 100);
    expect([mode.covers(10, 10), mode.covers(11, 10), mode.covers(100, 10), mode.covers(101, 10)]).toEqual([false, true, true, false]);
    expect(mode.takeQuarantine()).toBe(false);
  });

  it('after two deaths sets one input aside, the first', () => {
    const mode = CarefulMode.after(2, 100);
    expect(mode.takeQuarantine()).toBe(true);
    expect(mode.takeQuarantine()).toBe(false);
  });

  it("writes the set-aside input's dead letter from the node it entered by, the event inside", () => {
    const node = compiledNode('http', { types: ['reading.*'] }, 'in');
    const event = storedEvent();
    const letter = quarantineLetter(deriveContext('f', 1, node, new ProcessClocks({ latestClock: async () => null })), event);
    expect(letter).toMatchObject({ stream: DEADLETTER_STREAM, nodeId: 'in', causationId: event.id, data: { error: { code: 'quarantined' }, event } });
  });
});
