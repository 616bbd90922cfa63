import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../shared/event.js';
import type { CompiledNode, RuntimeGraph } from '../compiler/compile.js';
import { snapshotKey } from '../runtime/checkpoints.js';
import { keyRecordOf } from '../runtime/live-keys.js';
import { runKeyOf } from '../runtime/partitions.js';
import { openMemoryStore, type EventStore } from '../store/index.js';
import { appendAll, draft } from '../store/testing/fixtures.js';
import { ActorOrigins } from './actor-origins.js';

/** in (http, type reading) → sum (actor); `other` (a transform) → sum on its port `out` too. */
const graph: Pick<RuntimeGraph, 'flowId' | 'nodes' | 'outgoing'> = {
  flowId: 'f',
  nodes: new Map([
    ['in', { id: 'in', type: 'http', config: { types: ['reading'] } } as unknown as CompiledNode],
    ['other', { id: 'other', type: 'transform', config: {} } as unknown as CompiledNode],
    ['sum', { id: 'sum', type: 'actor', config: {} } as unknown as CompiledNode],
  ]),
  outgoing: new Map([
    ['in', new Map([['out', [{ edgeId: 'e1', target: 'sum', targetPort: 'in' }]]])],
    ['other', new Map([['out', [{ edgeId: 'e2', target: 'sum', targetPort: 'in' }]], ['odd', []]])],
    ['sum', new Map([['out', []]])],
  ]),
};

/** Ten readings at positions 1–10, then an event of another type and one another node derived. */
async function storeWithReadings(): Promise<{ store: EventStore; events: StoredEvent[] }> {
  const store = openMemoryStore();
  const events = await appendAll(store, [
    ...Array.from({ length: 10 }, (_, i) => draft({ id: `r${i + 1}`, type: 'reading' })),
    draft({ id: 'x11', type: 'other.kind' }),
    draft({ id: 'd12', type: 'reading', flowId: 'f', nodeId: 'other', metadata: { port: 'out' } }),
    draft({ id: 'd13', type: 'reading', flowId: 'f', nodeId: 'other', metadata: { port: 'odd' } }),
  ]);
  return { store, events };
}

const entry = (total: number, position: number) => ({ state: { total }, position, stopped: false });

describe('where a replayed actor key starts', () => {
  it('takes the latest kept snapshot before the key’s first replayed input, and the inputs after it up to there', async () => {
    const { store, events } = await storeWithReadings();
    const key = snapshotKey('f', 'sum');
    await store.saveSnapshot({ key, state: { keys: { a: entry(3, 3) } }, position: 4 });
    await store.saveSnapshot({ key, state: { keys: { a: entry(8, 8) } }, position: 8 });
    const origins = new ActorOrigins(store, graph, 'f', 6);
    const starts = await origins.startsOf('sum', new Map([['a', events[6]!], ['b', events[5]!]]));
    // a's first replayed input is the original at 7: the snapshot filed at 4 is the latest before the range.
    expect(starts.get('a')).toEqual({ base: { state: { total: 3 }, stopped: false }, after: 3, before: 7 });
    // b is in no snapshot: it had no input up to 4, where the one it lacks is filed.
    expect(starts.get('b')).toEqual({ base: null, after: 4, before: 6 });
  });

  it('reads an earlier snapshot when the latest one already folded the key’s first replayed input', async () => {
    const { store, events } = await storeWithReadings();
    const key = snapshotKey('f', 'sum');
    await store.saveSnapshot({ key, state: { keys: { a: entry(2, 2) } }, position: 2 });
    // Filed at 5 but holding a's input at 7, past where the replay starts for a.
    await store.saveSnapshot({ key, state: { keys: { a: entry(7, 7) } }, position: 5 });
    const starts = await new ActorOrigins(store, graph, 'f', 6).startsOf('sum', new Map([['a', events[6]!]]));
    expect(starts.get('a')).toEqual({ base: { state: { total: 2 }, stopped: false }, after: 2, before: 7 });
  });

  it('finds a key in the snapshot of the partition that ran it, or in its record when it was passivated', async () => {
    const { store, events } = await storeWithReadings();
    const partition = (index: number) => snapshotKey(runKeyOf('f', { index, count: 2 }), 'sum');
    await store.saveSnapshot({ key: partition(0), state: { keys: {}, passivated: true }, position: 5 });
    await store.saveSnapshot({ key: partition(1), state: { keys: { a: entry(4, 4) } }, position: 5 });
    await store.saveSnapshot({ key: keyRecordOf('f', 'sum', 'b'), state: { key: 'b', state: { total: 2 }, stopped: true }, position: 2 });
    const starts = await new ActorOrigins(store, graph, 'f', 6).startsOf('sum', new Map([['a', events[6]!], ['b', events[6]!]]));
    expect(starts.get('a')).toEqual({ base: { state: { total: 4 }, stopped: false }, after: 4, before: 7 });
    expect(starts.get('b')).toEqual({ base: { state: { total: 2 }, stopped: true }, after: 2, before: 7 });
  });

  it('starts from nothing with no snapshot kept, and uses the first replayed input when the event has no original', async () => {
    const { store } = await storeWithReadings();
    const replayedOnly = { ...(await store.get('r1'))!, id: 'new-in-this-revision' };
    const starts = await new ActorOrigins(store, graph, 'f', 6).startsOf('sum', new Map([['a', replayedOnly]]));
    expect(starts.get('a')).toEqual({ base: null, after: 0, before: 6 });
  });

  it('lists the live events that reached the node between two positions: matching http events and wired ports', async () => {
    const { store } = await storeWithReadings();
    const origins = new ActorOrigins(store, graph, 'f', 6);
    const ids = async (after: number, before: number) => {
      const found: string[] = [];
      for await (const page of origins.inputsOf('sum', after, before)) found.push(...page.map((e) => e.id));
      return found;
    };
    expect(await ids(3, 6)).toEqual(['r4', 'r5']);
    expect(await ids(9, 100)).toEqual(['r10', 'd12']);
  });
});
