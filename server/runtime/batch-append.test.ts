import { afterEach, describe, expect, it } from 'vitest';
import type { EventDraft } from '../../shared/event.js';
import { openStore, StoreError, type AppendResult, type EventStore } from '../store/index.js';
import { appendByInput } from './batch-append.js';
import type { Failure } from './derive.js';

const stores: EventStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

/** A memory store whose append calls are counted. */
async function countingStore() {
  const inner = await openStore('memory:');
  stores.push(inner);
  const calls: string[][] = [];
  const store = {
    append: (drafts: EventDraft[]) => {
      calls.push(drafts.map((d) => d.id));
      return inner.append(drafts);
    },
  };
  return { inner, store, calls };
}

const draft = (id: string, over: Partial<EventDraft> = {}): EventDraft => ({
  id,
  type: 'part',
  source: 'test://node',
  time: new Date(0).toISOString(),
  subject: null,
  datacontenttype: 'application/json',
  data: {},
  stream: 's',
  process: 'main',
  vectorClock: { main: 1 },
  correlationId: id,
  causationId: null,
  flowId: 'f',
  nodeId: 'n',
  revision: 1,
  metadata: {},
  ...over,
});

const letterFor = (index: number, failure: Failure) => draft(`letter-${index}`, { stream: '$deadletter', data: { error: failure } });

describe("appending a batch's events", () => {
  it('makes one call for the whole batch, in order', async () => {
    const { store, calls } = await countingStore();
    const stored: AppendResult[][] = [];
    await appendByInput(store, [[draft('a1'), draft('a2')], [], [draft('c1')]], letterFor, (r) => stored.push(r));
    expect(calls).toEqual([['a1', 'a2', 'c1']]);
    expect(stored.flat().map((r) => r.event.id)).toEqual(['a1', 'a2', 'c1']);
  });

  it('makes no call when no input has events', async () => {
    const { store, calls } = await countingStore();
    await appendByInput(store, [[], []], letterFor, () => {});
    expect(calls).toEqual([]);
  });

  it("replaces a refused input's events by its dead letter and stores the others' events", async () => {
    const { inner, store, calls } = await countingStore();
    await inner.append([draft('first', { stream: 'orders' })]);
    const perInput = [[draft('b1')], [draft('conflict', { stream: 'orders', expectedVersion: 0 })], [draft('d1')]];
    await appendByInput(store, perInput, letterFor, () => {});
    expect(calls).toEqual([['b1', 'conflict', 'd1'], ['b1'], ['conflict'], ['letter-1'], ['d1']]);
    const letter = await inner.get('letter-1');
    expect(letter?.data).toMatchObject({ error: { code: 'version_conflict' } });
    expect(await inner.get('conflict')).toBeNull();
  });

  it('throws what concerns the store, not one input', async () => {
    const refusing = { append: async (): Promise<AppendResult[]> => Promise.reject(new StoreError('storage_full', 'disk full')) };
    await expect(appendByInput(refusing, [[draft('a')]], letterFor, () => {})).rejects.toMatchObject({ code: 'storage_full' });
  });
});
