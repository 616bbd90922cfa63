import { describe, expect, it } from 'vitest';
import { openMemoryStore } from '../store/index.js';
import { keyRecordOf, LiveKeys } from './live-keys.js';

const state = (n: number, position = n) => ({ state: { n }, position, stopped: false });

describe('an actor node’s keys in memory', () => {
  it('passivates the least recently used key the batch does not need, and reads it back as it left', async () => {
    const store = openMemoryStore();
    const keys = new LiveKeys(store, 'f', 'a', 2);
    keys.add('x', state(1));
    keys.add('y', { state: { n: 2 }, position: 7, stopped: true });
    keys.use('x');
    await keys.prepare(['z']);
    expect(keys.size).toBe(1);
    expect(keys.use('y')).toBeUndefined();
    expect(await store.loadSnapshot(keyRecordOf('f', 'a', 'y'))).toMatchObject({ state: { key: 'y', state: { n: 2 }, stopped: true }, position: 7 });

    keys.add('z', state(3));
    await keys.prepare(['y', 'x']);
    expect(keys.use('z')).toBeUndefined();
    expect(keys.use('y')).toEqual({ state: { n: 2 }, position: 7, stopped: true });
    expect(keys.use('x')).toEqual(state(1));
    expect(keys.passivations).toBe(2);
    expect(keys.snapshot()).toEqual({ keys: { y: { state: { n: 2 }, position: 7, stopped: true }, x: state(1) }, passivated: true });
  });

  it('keeps every key a batch needs, more than the bound if it must, and makes room at the next batch', async () => {
    const store = openMemoryStore();
    const keys = new LiveKeys(store, 'f', 'a', 2);
    keys.add('old', state(1));
    await keys.prepare(['p', 'q', 'r']);
    for (const k of ['p', 'q', 'r']) keys.add(k, state(2));
    expect(keys.size).toBe(3);
    await keys.prepare(['q']);
    expect(keys.size).toBe(2);
    expect(Object.keys(keys.snapshot().keys)).toEqual(['q', 'r']);
  });

  it('reads no record while no key of the node was ever passivated, and after a restore that says one was', async () => {
    const store = openMemoryStore();
    await store.saveSnapshot({ key: keyRecordOf('f', 'a', 'x'), state: { key: 'x', state: { n: 9 }, stopped: false }, position: 4 });
    const fresh = new LiveKeys(store, 'f', 'a', undefined);
    await fresh.prepare(['x']);
    expect(fresh.use('x')).toBeUndefined();

    const restored = new LiveKeys(store, 'f', 'a', undefined);
    restored.restore({ keys: {}, passivated: true });
    await restored.prepare(['x']);
    expect(restored.use('x')).toEqual({ state: { n: 9 }, position: 4, stopped: false });
  });

  it('names each key’s record apart from other nodes’ and flows’ keys, whatever the key holds', () => {
    const names = [keyRecordOf('f', 'a', 'x'), keyRecordOf('f', 'b', 'x'), keyRecordOf('g', 'a', 'x'), keyRecordOf('f:a', '', 'x'), keyRecordOf('f', 'a', 'x'.repeat(10_000))];
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name.length).toBeLessThan(80);
  });
});
