import { describe, expect, it } from 'vitest';
import type { NodeCounters } from '../../shared/api/flows.js';
import { openMemoryStore } from '../store/index.js';
import { CounterTotals, totalsKey } from './counter-totals.js';

const node = (c: Partial<NodeCounters> = {}) => ({ counters: { in: 0, out: 0, errors: 0, queued: 0, ...c } });

describe('node counter totals', () => {
  it('start a new run from the totals the last one saved, for the nodes it still has', async () => {
    const store = openMemoryStore();
    const first = new Map([['a', node({ in: 5, out: 4, errors: 1 })], ['gone', node({ in: 2 })]]);
    await new CounterTotals(store, 'f-1').save(first, 10, true);

    const next = new Map([['a', node({ in: 1 })], ['new', node()]]);
    await new CounterTotals(store, 'f-1').restore(next);
    expect(next.get('a')!.counters).toEqual({ in: 6, out: 4, errors: 1, queued: 0 });
    expect(next.get('new')!.counters).toEqual({ in: 0, out: 0, errors: 0, queued: 0 });
    // Another flow's run starts from its own.
    const other = new Map([['a', node()]]);
    await new CounterTotals(store, 'f-2').restore(other);
    expect(other.get('a')!.counters.in).toBe(0);
  });

  it('write only when a total moved, at most once a second but at the end of a run', async () => {
    const store = openMemoryStore();
    const writes: number[] = [];
    const counted = { loadSnapshot: (key: string) => store.loadSnapshot(key), saveSnapshot: async (s: Parameters<typeof store.saveSnapshot>[0]) => (writes.push(s.position), store.saveSnapshot(s)) };
    const nodes = new Map([['a', node({ in: 1 })]]);
    const totals = new CounterTotals(counted, 'f-1');
    await totals.restore(nodes);
    await totals.save(nodes, 1, false);
    expect(writes).toEqual([]);
    nodes.get('a')!.counters.in++;
    await totals.save(nodes, 2, false);
    nodes.get('a')!.counters.in++;
    await totals.save(nodes, 3, false);
    await totals.save(nodes, 4, true);
    expect(writes).toEqual([2, 4]);
    expect((await store.loadSnapshot(totalsKey('f-1')))?.state).toEqual({ a: { in: 3, out: 0, errors: 0 } });
  });
});
