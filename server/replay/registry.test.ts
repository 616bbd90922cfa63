import { describe, expect, it } from 'vitest';
import type { ReplayStatus } from '../../shared/api/replays.js';
import type { EventDraft } from '../../shared/event.js';
import type { Flow } from '../../shared/flow.js';
import { type EventStore, openMemoryStore } from '../store/index.js';
import { isReplayError } from './errors.js';
import { INTERRUPTED, toRecord } from './records.js';
import { ReplayRegistry } from './registry.js';
import { startingStatus } from './run.js';

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

/** Inputs 1 s apart replayed at ×1: a replay that runs until it is cancelled. */
const SLOW = { mode: 'dry-run', speed: 1 } as const;

async function refusal(start: Promise<unknown>) {
  const error = await start.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isReplayError(error, 'too_many_replays'), String(error)).toBe(true);
  return error as Error & { details: Record<string, unknown> };
}

describe('bounding the replays that run at once', () => {
  it('refuses one more replay than the limit, saying how many run and what to do, and takes one again when a place frees', async () => {
    const { store, flow } = await storeWithIncident([9, 9, 9], 1000);
    const other = await store.flows.create({ ...flow, id: 'f-2' });
    const registry = new ReplayRegistry(store, { timing: TIMING, limits: { running: 2, perFlow: 2 } });
    const first = await registry.start({ flowId: flow.id, ...SLOW }, flow);
    await registry.start({ flowId: other.id, ...SLOW }, other);
    const refused = await refusal(registry.start({ flowId: other.id, ...SLOW }, other));
    expect(refused.message).toMatch(/^2 replays are running.*wait for one to finish or cancel one/);
    expect(refused.details).toMatchObject({ running: 2, limit: 2 });
    expect(await store.replays.list()).toHaveLength(2);

    await registry.cancel(first.id);
    const third = await registry.start({ flowId: other.id, ...SLOW }, other);
    expect(third.running).toBe(true);
    for (const s of await registry.list()) if (s.state === 'running') await registry.cancel(s.id);
  });

  it('refuses one more replay of a flow than its own limit while other flows still start', async () => {
    const { store, flow } = await storeWithIncident([9, 9, 9], 1000);
    const other = await store.flows.create({ ...flow, id: 'f-2' });
    const registry = new ReplayRegistry(store, { timing: TIMING, limits: { running: 4, perFlow: 1 } });
    const first = await registry.start({ flowId: flow.id, ...SLOW }, flow);
    const refused = await refusal(registry.start({ flowId: flow.id, ...SLOW }, flow));
    expect(refused.message).toMatch(/^1 replay of flow "f-1" is running/);
    expect(refused.details).toMatchObject({ flowRunning: 1, flowLimit: 1 });
    const second = await registry.start({ flowId: other.id, ...SLOW }, other);
    await registry.cancel(first.id);
    await registry.cancel(second.id);
  });

  it('counts starts made at the same moment: never more than the limit run', async () => {
    const { store, flow } = await storeWithIncident([9, 9, 9], 1000);
    const registry = new ReplayRegistry(store, { timing: TIMING, limits: { running: 2, perFlow: 2 } });
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => registry.start({ flowId: flow.id, ...SLOW }, flow)));
    const started = outcomes.filter((o) => o.status === 'fulfilled');
    expect(started).toHaveLength(2);
    expect(outcomes.filter((o) => o.status === 'rejected' && isReplayError(o.reason, 'too_many_replays'))).toHaveLength(3);
    for (const o of started) await registry.cancel(o.value.id);
  });
});

describe('cancelling a replay', () => {
  it('stops a replay of many inputs at the next page: cancelled, the diff of what it handled kept and marked partial', async () => {
    const { store, flow } = await storeWithIncident(Array.from({ length: 20_000 }, () => 9));
    // The originals: one converted reading per input, as the flow derived them when it ran.
    const inputs = await store.read({ limit: 10_000 });
    await store.append(
      inputs.map((e) => ({ ...e, id: `o-${e.id}`, type: 'converted', data: { celsius: 9 }, stream: `flow/${flow.id}/conv`, causationId: e.id, flowId: flow.id, nodeId: 'conv', revision: 1, metadata: { port: 'out', hops: 1 } })),
    );
    const registry = new ReplayRegistry(store, { timing: { ...TIMING, feedBatch: 500, maxAhead: 1000 } });
    const run = await registry.start({ flowId: flow.id, mode: 'dry-run', speed: 'max' }, flow);
    let cancelled: Promise<ReplayStatus | null> | null = null;
    // Cancelled as soon as it has handled an input: it is running then, whatever the speed of the machine.
    registry.watch(run.id, (s) => {
      if (s.processed > 0) cancelled ??= registry.cancel(run.id);
    });
    const status = await registry.finished(run.id)!;
    expect(await cancelled).toEqual(status);
    expect(status).toMatchObject({ state: 'cancelled', input: 20_000, partial: true, error: null });
    expect(status.processed).toBeGreaterThan(0);
    // At most the inputs fed ahead of the runtime, and the page under way, were handled after the cancel.
    expect(status.processed).toBeLessThan(20_000);
    // Each handled input's output is compared; the originals of the inputs never reached are not missing.
    const reached = Math.min(status.processed, 10_000);
    expect(status.diff).toEqual({ identical: reached, changed: 0, missing: 0, extra: status.processed - reached });
    expect(await store.replays.get(run.id)).toMatchObject({ state: 'cancelled', finishedAt: status.finishedAt });
  });

  it('refuses to cancel a replay that has ended, and knows no unknown one', async () => {
    const { store, flow } = await storeWithIncident([9]);
    const registry = new ReplayRegistry(store, { timing: TIMING });
    const run = await registry.start({ flowId: flow.id, mode: 'dry-run', speed: 'max' }, flow);
    await registry.finished(run.id);
    const error = await registry.cancel(run.id).catch((e: unknown) => e);
    expect(isReplayError(error, 'replay_ended')).toBe(true);
    expect((error as Error).message).toBe(`replay "${run.id}" has already ended (done): only a running replay can be cancelled`);
    expect(await registry.cancel('missing')).toBeNull();
  });

  it('refuses to cancel a replay another process runs, naming it', async () => {
    const { store } = await storeWithIncident([]);
    await store.replays.save(
      toRecord({ status: startingStatus('theirs', { flowId: 'f-1', mode: 'dry-run', speed: 'max' }), request: { flowId: 'f-1', mode: 'dry-run', speed: 'max' }, effects: [] }, 'edge-1'),
    );
    const registry = new ReplayRegistry(store, { process: 'main' });
    const error = await registry.cancel('theirs').catch((e: unknown) => e);
    expect(isReplayError(error, 'replay_elsewhere')).toBe(true);
    expect((error as Error).message).toContain('"edge-1"');
  });
});
