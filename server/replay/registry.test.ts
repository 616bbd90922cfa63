import { describe, expect, it } from 'vitest';
import type { EventDraft } from '../../shared/event.js';
import type { Flow } from '../../shared/flow.js';
import { openMemoryStore } from '../store/memory.js';
import type { EventStore } from '../store/types.js';
import { INTERRUPTED, toRecord } from './records.js';
import { ReplayRegistry } from './registry.js';
import { startingStatus, type ReplayStatus } from './run.js';

const TIMING = { pollMs: 2, settleMs: 200, feedBatch: 100 };
const T0 = Date.UTC(2026, 0, 5, 10);

async function storeWithIncident(readings: number[], spacingMs = 1): Promise<{ store: EventStore; flow: Flow }> {
  const store = openMemoryStore();
  const flow = await store.flows.create({
    id: 'f-1',
    name: 'pipeline',
    description: '',
    nodes: [
      { id: 'in', type: 'http', name: 'in', process: 'main', position: { x: 0, y: 0 }, config: { types: ['reading'] } },
      { id: 'warm', type: 'filter', name: 'warm', process: 'main', position: { x: 0, y: 0 }, config: { expression: 'data.t > 8' } },
      { id: 'conv', type: 'transform', name: 'conv', process: 'main', position: { x: 0, y: 0 }, config: { expression: "{'celsius': data.t}", type: 'converted' } },
    ],
    edges: [
      { id: 'e1', source: 'in', sourcePort: 'out', target: 'warm', targetPort: 'in' },
      { id: 'e2', source: 'warm', sourcePort: 'out', target: 'conv', targetPort: 'in' },
    ],
  });
  const drafts: EventDraft[] = readings.map((t, i) => ({
    id: `r${i}`,
    type: 'reading',
    source: 'test',
    time: new Date(T0 + i * spacingMs).toISOString(),
    subject: null,
    datacontenttype: 'application/json',
    data: { t },
    stream: 'dev',
    process: 'dev',
    vectorClock: { dev: i + 1 },
    correlationId: `r${i}`,
    causationId: null,
    flowId: null,
    nodeId: null,
    revision: null,
    metadata: {},
  }));
  if (drafts.length > 0) await store.append(drafts);
  return { store, flow };
}

describe('the replay registry', () => {
  it('keeps a finished replay in the store: a registry started later reads the same status and effects', async () => {
    const { store, flow } = await storeWithIncident([4, 9, 12]);
    const first = new ReplayRegistry(store, { timing: TIMING });
    const run = await first.start({ flowId: flow.id, mode: 'dry-run', speed: 'max' }, flow);
    const done = await first.finished(run.id)!;
    expect(done).toMatchObject({ state: 'done', input: 3, processed: 3, diff: { identical: 0, changed: 0, missing: 0, extra: 2 } });

    const later = new ReplayRegistry(store, { timing: TIMING });
    const saved = await later.get(run.id);
    expect(saved?.status).toEqual(done);
    expect(saved?.request).toEqual({ flowId: flow.id, mode: 'dry-run', speed: 'max' });
    expect(await later.get('missing')).toBeNull();
  });

  it('saves a replay as running as soon as it starts', async () => {
    const { store, flow } = await storeWithIncident([9, 9, 9], 1000);
    const registry = new ReplayRegistry(store, { timing: TIMING });
    const run = await registry.start({ flowId: flow.id, mode: 'dry-run', speed: 100 }, flow);
    expect(await store.replays.get(run.id)).toMatchObject({ id: run.id, state: 'running', process: 'main', finishedAt: null });
    await registry.finished(run.id);
    expect(await store.replays.get(run.id)).toMatchObject({ state: 'done' });
  });

  it("fails the replays its own process left running, as interrupted by a restart; other processes' stay", async () => {
    const { store } = await storeWithIncident([]);
    const running = (id: string, process: string) =>
      toRecord(
        {
          status: { ...startingStatus(id, { flowId: 'f-1', revision: 1, mode: 'dry-run', speed: 'max' }), input: 10, processed: 4 },
          request: { flowId: 'f-1', mode: 'dry-run', speed: 'max' },
          effects: [],
        },
        process,
      );
    await store.replays.save(running('mine', 'main'));
    await store.replays.save(running('theirs', 'edge-1'));
    const registry = new ReplayRegistry(store, { process: 'main' });
    const mine = await registry.get('mine');
    expect(mine?.status).toMatchObject({ state: 'failed', error: INTERRUPTED, input: 10, processed: 4 });
    expect(Date.parse(mine!.status.finishedAt!)).toBeGreaterThan(0);
    expect((await registry.get('theirs'))?.status).toMatchObject({ state: 'running', error: null });
  });

  it('stops its running replays when the server shuts down: failed as interrupted, and saved so', async () => {
    const { store, flow } = await storeWithIncident([9, 9, 9, 9], 1000);
    const shutdown = new AbortController();
    const registry = new ReplayRegistry(store, { timing: TIMING, shutdown: shutdown.signal });
    const run = await registry.start({ flowId: flow.id, mode: 'dry-run', speed: 1 }, flow);
    await new Promise((r) => setTimeout(r, 50));
    shutdown.abort();
    const status = await registry.finished(run.id)!;
    expect(status).toMatchObject({ state: 'failed', error: INTERRUPTED });
    expect(await store.replays.get(run.id)).toMatchObject({ state: 'failed', error: INTERRUPTED });
  });

  it('lists the newest replay first', async () => {
    const { store, flow } = await storeWithIncident([9]);
    const registry = new ReplayRegistry(store, { timing: TIMING });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await registry.start({ flowId: flow.id, mode: 'dry-run', speed: 'max' }, flow);
      await registry.finished(run.id);
      ids.push(run.id);
      await new Promise((r) => setTimeout(r, 2));
    }
    expect((await registry.list()).map((s) => s.id)).toEqual(ids.reverse());
    expect(await registry.list(1)).toHaveLength(1);
  });

  it('tells a watcher how a running replay moves, up to its final status', async () => {
    const { store, flow } = await storeWithIncident([9, 10, 11, 12, 13], 40);
    const registry = new ReplayRegistry(store, { timing: TIMING });
    const run = await registry.start({ flowId: flow.id, mode: 'dry-run', speed: 1 }, flow);
    const seen: ReplayStatus[] = [];
    registry.watch(run.id, (s) => seen.push(s));
    await registry.finished(run.id);
    const processed = seen.map((s) => s.processed);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));
    expect(new Set(processed).size).toBeGreaterThan(2);
    expect(seen.at(-1)).toMatchObject({ state: 'done', processed: 5 });
  });
});
