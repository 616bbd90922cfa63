import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type EventStore } from '../store/index.js';
import { checkpointKey } from './checkpoints.js';
import { FlowRuntime } from './flow-runtime.js';
import { ProcessClocks } from './process-clocks.js';
import { publishedDraft, stampAndAppend, type PublishInput } from './stamp.js';
import { all, until } from './testing/engines.js';
import { graphOf, reading } from './testing/flows.js';

const stores: EventStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

async function storeAndClocks() {
  const store = await openStore('memory:');
  stores.push(store);
  return { store, clocks: new ProcessClocks(store) };
}

/** Publishes from outside, as the engine does. */
const publish = (store: EventStore, clocks: ProcessClocks, inputs: PublishInput[]) =>
  stampAndAppend(clocks, inputs, 'main', publishedDraft, (drafts) => store.append(drafts));

/** http in → batch `b`, which holds readings until the flow drains. */
const heldUntilDrained = () =>
  graphOf(
    [
      { id: 'in', type: 'http', config: { types: ['reading.*'] } },
      { id: 'b', type: 'batch', config: { size: 1000, timeoutMs: 0, type: 'readings.batched' } },
    ],
    [['in', 'b']],
  );

describe('a flow runtime', () => {
  it('starts from the head on its first run, and from its checkpoint after a drain', async () => {
    const { store, clocks } = await storeAndClocks();
    const graph = await graphOf(
      [
        { id: 'in', type: 'http', config: { types: ['reading.*'] } },
        { id: 'conv', type: 'transform', config: { expression: 'data', type: 'handled' } },
      ],
      [['in', 'conv']],
    );
    const [before] = await publish(store, clocks, [reading(1)]);
    const first = new FlowRuntime(graph, { store, clocks });
    await first.start();
    const [during] = await publish(store, clocks, [reading(2)]);
    await until(async () => (await all(store, { types: ['handled'] })).length === 1);
    await first.drain();
    expect(first.state).toBe('stopped');
    expect(await store.getCheckpoint(checkpointKey(graph.flowId!))).toBeGreaterThanOrEqual(during!.event.position);

    const [after] = await publish(store, clocks, [reading(3)]);
    const second = new FlowRuntime(graph, { store, clocks });
    await second.start();
    const handled = await until(async () => {
      const events = await all(store, { types: ['handled'] });
      return events.length === 2 && events;
    });
    await second.drain();
    expect(handled.map((e) => e.causationId)).toEqual([during!.event.id, after!.event.id]);
    expect(handled.map((e) => e.causationId)).not.toContain(before!.event.id);
  });

  it('drains by flushing what its nodes hold, and stops at an outside input that arrives meanwhile: the next run has it', async () => {
    const { store, clocks } = await storeAndClocks();
    const graph = await heldUntilDrained();
    const runtime = new FlowRuntime(graph, { store, clocks });
    await runtime.start();
    const [held] = await publish(store, clocks, [reading(1)]);
    await until(() => runtime.counters().b!.in === 1);
    const draining = runtime.drain();
    const [late] = await publish(store, clocks, [reading(2)]);
    await draining;

    const batches = await all(store, { types: ['readings.batched'] });
    expect(batches.map((e) => e.causationId)).toEqual([held!.event.id]);
    expect(runtime.checkpoint).toBeLessThan(late!.event.position);

    const next = new FlowRuntime(graph, { store, clocks });
    await next.start();
    await until(() => next.counters().b!.in === 1);
    await next.drain();
    const after = await all(store, { types: ['readings.batched'] });
    expect(after.map((e) => e.causationId)).toEqual([held!.event.id, late!.event.id]);
  });

  it('holds sources back while it lags more than maxLag positions behind the store', async () => {
    const { store, clocks } = await storeAndClocks();
    const runtime = new FlowRuntime(await heldUntilDrained(), { store, clocks, maxLag: 5 });
    await runtime.start();
    await publish(store, clocks, Array.from({ length: 10 }, (_, i) => reading(i)));
    await until(() => runtime.counters().b!.in === 10);
    // The batch holds every reading: the checkpoint cannot move, and the flow is 10 behind.
    runtime.noteHead(await store.head());
    expect(runtime.behind).toBe(true);
    await runtime.drain();
    expect(runtime.behind).toBe(false);
  });
});
