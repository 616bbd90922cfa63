import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type EventStore } from '../store/index.js';
import { snapshotKey } from './checkpoints.js';
import { startHandlers } from './node-handlers.js';
import { ProcessClocks } from './process-clocks.js';
import { graphOf } from './testing/flows.js';
import { sharedUserCodePool } from './user-code/pool.js';

const stores: EventStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

const actorGraph = () =>
  graphOf(
    [
      { id: 'in', type: 'http', config: { types: ['reading.*'] } },
      { id: 'count', type: 'actor', process: 'cloud', config: { key: 'data.device', initialState: { n: 0 }, reducer: 'return {state};' } },
    ],
    [['in', 'count']],
  );

async function setup() {
  const store = await openStore('memory:');
  stores.push(store);
  const clocks = new ProcessClocks(store);
  return { store, clocks, setup: { store, clocks, userCode: sharedUserCodePool() } };
}

describe("a run's node handlers", () => {
  it('makes one handler per node in document order and loads the clock of each process', async () => {
    const { setup: s, clocks } = await setup();
    const graph = await actorGraph();
    const { handlers, scanFrom } = await startHandlers(graph, graph.flowId!, 10, s);
    expect(handlers.map(([node]) => node.id)).toEqual(['in', 'count']);
    expect(scanFrom).toBe(10);
    expect(clocks.ensure('cloud')).toBeUndefined();
    for (const [, handler] of handlers) await handler.stop?.();
  });

  it('gives a node with state a first snapshot at the checkpoint', async () => {
    const { setup: s, store } = await setup();
    const graph = await actorGraph();
    const { handlers } = await startHandlers(graph, graph.flowId!, 10, s);
    expect(await store.loadSnapshot(snapshotKey(graph.flowId!, 'count'))).toMatchObject({ position: 10, state: { keys: {} } });
    for (const [, handler] of handlers) await handler.stop?.();
  });

  it('restores a node from its snapshot and reads the log from before the checkpoint when the snapshot is older', async () => {
    const { setup: s, store } = await setup();
    const graph = await actorGraph();
    const keys = { a: { state: { n: 4 }, position: 6, stopped: false } };
    await store.saveSnapshot({ key: snapshotKey(graph.flowId!, 'count'), state: { keys }, position: 6 });
    const { handlers, scanFrom } = await startHandlers(graph, graph.flowId!, 10, s);
    expect(scanFrom).toBe(6);
    const actor = handlers.find(([node]) => node.id === 'count')![1];
    expect(actor.snapshot!()).toEqual({ keys });
    for (const [, handler] of handlers) await handler.stop?.();
  });

  it('refuses a node type this runtime cannot run', async () => {
    const { setup: s } = await setup();
    const graph = await actorGraph();
    graph.nodes.set('odd', { ...graph.nodes.get('in')!, id: 'odd', type: 'teleport' });
    await expect(startHandlers(graph, graph.flowId!, 0, s)).rejects.toThrow('node type "teleport" cannot run in this runtime');
  });
});
