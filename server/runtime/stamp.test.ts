import { describe, expect, it } from 'vitest';
import type { VectorClock } from '../../shared/clock.js';
import type { EventDraft } from '../../shared/event.js';
import { deriveContext } from './derive.js';
import { ProcessClocks } from './process-clocks.js';
import { producedDraft, publishedDraft, stampAndAppend, stampOf } from './stamp.js';
import { compiledNode } from './testing/fixtures.js';

/** Clocks whose stored counters are `stored`; a process's clock loads when `gate` says so, if one is given. */
function clocksOf(stored: Record<string, VectorClock> = {}, gate?: Promise<void>) {
  return new ProcessClocks({
    latestClock: async (process) => {
      await gate;
      return stored[process] ?? null;
    },
  });
}

describe('stamping one event', () => {
  it("gives an event with nothing stated a fresh id, the time, the default process and that process's next tick", () => {
    const clocks = clocksOf();
    const first = stampOf(clocks, {}, 'main');
    const second = stampOf(clocks, {}, 'main');
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(second.id).not.toBe(first.id);
    expect(Date.parse(first.time)).toBeGreaterThan(0);
    expect([first.process, first.vectorClock, second.vectorClock]).toEqual(['main', { main: 1 }, { main: 2 }]);
  });

  it('keeps the id, time and process its producer stated', () => {
    const stamp = stampOf(clocksOf(), { id: 'given', time: '2024-01-01T00:00:00.000Z', process: 'sensor-7' }, 'main');
    expect(stamp).toEqual({ id: 'given', time: '2024-01-01T00:00:00.000Z', process: 'sensor-7', vectorClock: { 'sensor-7': 1 } });
  });

  it("adopts a device's own clock that moves it on, and receives one that does not", () => {
    const clocks = clocksOf();
    expect(stampOf(clocks, { process: 'sensor-7', vectorClock: { 'sensor-7': 5, main: 2 } }, 'main').vectorClock).toEqual({ 'sensor-7': 5, main: 2 });
    expect(stampOf(clocks, { process: 'sensor-7', vectorClock: { 'sensor-7': 3 } }, 'main').vectorClock).toEqual({ 'sensor-7': 6, main: 2 });
  });
});

describe('stamping and appending', () => {
  it('resumes each process from its stored clock and stamps the items in order', async () => {
    const clocks = clocksOf({ main: { main: 41 } });
    const appended = await stampAndAppend(clocks, [{ n: 1 }, { n: 2, process: 'sensor-1' }, { n: 3 }], 'main', (item, stamp) => ({ n: item.n, stamp }) as unknown as EventDraft, async (drafts) => drafts);
    expect(appended.map((d) => (d as unknown as { stamp: { vectorClock: VectorClock } }).stamp.vectorClock)).toEqual([{ main: 42 }, { 'sensor-1': 1 }, { main: 43 }]);
  });

  it('stamps only once every clock is loaded, then calls append in the same turn', async () => {
    let open!: () => void;
    const clocks = clocksOf({}, new Promise<void>((resolve) => (open = resolve)));
    const seen: string[] = [];
    const appending = stampAndAppend(clocks, [{}], 'main', (_, stamp) => {
      seen.push(`stamped ${stamp.vectorClock.main}`);
      // Another producer's turn, queued at the moment of stamping: it must come after the append call.
      queueMicrotask(() => seen.push('another turn'));
      return {} as EventDraft;
    }, async () => {
      seen.push('append called');
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual([]);
    open();
    await appending;
    expect(seen).toEqual(['stamped 1', 'append called', 'another turn']);
  });
});

describe('the drafts of events that start a chain', () => {
  const stamp = { id: 'id-1', time: '2024-01-01T00:00:00.000Z', process: 'main', vectorClock: { main: 1 } };

  it('files an external event under its subject, else its source, as a chain of its own', () => {
    const draft = publishedDraft({ type: 't', source: 'test://s' }, stamp);
    expect(draft).toMatchObject({ id: 'id-1', stream: 'test://s', correlationId: 'id-1', causationId: null, data: null, datacontenttype: null, flowId: null, metadata: {} });
    expect(publishedDraft({ type: 't', source: 'test://s', subject: 'dev-1', data: { a: 1 } }, stamp)).toMatchObject({ stream: 'dev-1', datacontenttype: 'application/json' });
    expect(publishedDraft({ type: 't', source: 's', correlationId: 'root', causationId: 'cause', stream: 'x' }, stamp)).toMatchObject({ stream: 'x', correlationId: 'root', causationId: 'cause' });
  });

  it("names a source's event after its node, on its out port at hop 0, in its process's stream", () => {
    const ctx = deriveContext('f', 3, compiledNode('timer', { intervalMs: 10, type: 'tick' }, 'tick'), clocksOf());
    const draft = producedDraft(ctx, { type: 'tick', data: { n: 1 }, metadata: { seq: 4 } }, { ...stamp, process: 'edge-1' });
    expect(draft).toMatchObject({
      source: 'causeway://flows/f/nodes/tick',
      stream: 'edge-1',
      correlationId: 'id-1',
      flowId: 'f',
      nodeId: 'tick',
      revision: 3,
      metadata: { seq: 4, port: 'out', hops: 0 },
    });
  });
});
