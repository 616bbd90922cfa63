import { afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../shared/event.js';
import { openStore, type EventStore } from '../store/index.js';
import { DEADLETTER_STREAM, deriveContext } from './derive.js';
import { ProcessClocks } from './process-clocks.js';
import { sourceIO, type SourceHost } from './source-io.js';
import { until } from './testing/engines.js';
import { compiledNode } from './testing/fixtures.js';

const stores: EventStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

/** A timer node `tick` on `edge-1` and the host it produces through, recording what it hears; appends wait for `gate`. */
async function source(running = true, gate?: Promise<void>) {
  const store = await openStore('memory:');
  stores.push(store);
  const clocks = new ProcessClocks(store);
  const node = compiledNode('timer', { intervalMs: 10, type: 'tick' }, 'tick', 'edge-1');
  const counters = { in: 0, out: 0, errors: 0, queued: 0 };
  const appended: StoredEvent[][] = [];
  const logged: [string, Record<string, unknown> | undefined][] = [];
  const host: SourceHost = {
    store: {
      append: async (drafts) => {
        await gate;
        return store.append(drafts);
      },
    },
    clocks,
    running: () => running,
    admit: async () => {},
    log: (message, details) => logged.push([message, details]),
    producing: new Set(),
    appended: (events) => appended.push(events),
  };
  const io = sourceIO({ node, ctx: deriveContext('f', 2, node, clocks), counters }, host);
  return { io, store, counters, appended, logged, host };
}

describe("a source's window on its flow", () => {
  it("stamps what it produces on the node's process, appends it, counts it and reports it once committed", async () => {
    const { io, store, counters, appended } = await source();
    const events = await io.produce([{ type: 'tick', data: { n: 1 } }, { type: 'tick', data: { n: 2 } }]);
    expect(events.map((e) => [e.process, e.vectorClock, e.nodeId, e.source])).toEqual([
      ['edge-1', { 'edge-1': 1 }, 'tick', 'causeway://flows/f/nodes/tick'],
      ['edge-1', { 'edge-1': 2 }, 'tick', 'causeway://flows/f/nodes/tick'],
    ]);
    expect(await store.get(events[0]!.id)).toEqual(events[0]);
    expect(counters.out).toBe(2);
    expect(appended).toEqual([events]);
  });

  it("stamps a device's reading on the device's own process and clock", async () => {
    const { io } = await source();
    const [event] = await io.produce([{ type: 'reading', data: {}, process: 'fridge-1', vectorClock: { 'fridge-1': 7 } }]);
    expect([event!.process, event!.vectorClock, event!.stream]).toEqual(['fridge-1', { 'fridge-1': 7 }, 'fridge-1']);
  });

  it('keeps an append in flight in `producing` until it commits', async () => {
    let commit!: () => void;
    const { io, host } = await source(true, new Promise<void>((resolve) => (commit = resolve)));
    const producing = io.produce([{ type: 'tick', data: {} }]);
    await until(() => host.producing.size === 1);
    commit();
    await producing;
    expect(host.producing.size).toBe(0);
  });

  it('stores the dead letter of an input it rejects, and counts the error', async () => {
    const { io, store, counters, appended } = await source();
    await io.reject({ code: 'invalid_event', message: 'data holds a NUL' }, { topic: 'sensors/1' });
    const [letter] = await store.readStream(DEADLETTER_STREAM);
    expect(letter).toMatchObject({ nodeId: 'tick', causationId: null, data: { error: { code: 'invalid_event' }, input: { topic: 'sensors/1' } } });
    expect(counters.errors).toBe(1);
    expect(appended).toEqual([[letter]]);
  });

  it("tells whether the flow runs, and names the node in what it logs", async () => {
    const stopped = await source(false);
    expect(stopped.io.running).toBe(false);
    stopped.io.log('connected', { url: 'mqtt://x' });
    expect(stopped.logged).toEqual([['connected', { nodeId: 'tick', url: 'mqtt://x' }]]);
  });
});
