import { afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../shared/event.js';
import type { NodeHandler, Output } from './node.js';
import { until } from './testing/engines.js';
import { workerOf } from './testing/workers.js';

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

async function worker(handler: NodeHandler, options: Parameters<typeof workerOf>[1] = {}) {
  const made = await workerOf(handler, options);
  closing.push(made.close);
  return made;
}

const derive = (event: StoredEvent): Output[] => [{ kind: 'emit', type: 'derived', data: event.data }];

/** A gate the test opens: appends wait for it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { wait: () => opened, open };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a node's inputs and its commits", () => {
  it('releases an input only once the events it derived are committed', async () => {
    const commits = gate();
    const w = await worker({ handle: derive }, { gate: commits.wait });
    await w.give(2);
    await until(() => w.appendCalls.flat().length === 2);
    await sleep(20);
    expect(w.progress.checkpoint).toBe(0);
    commits.open();
    await w.idle();
    expect(w.progress.checkpoint).toBeGreaterThanOrEqual(2);
  });

  it("handles the next batch while the previous batch's events are committed, and commits them in order", async () => {
    const commits = gate();
    const w = await worker({ handle: derive }, { gate: commits.wait });
    const first = await w.give(2);
    await until(() => w.appendCalls.length === 1);
    const second = await w.give(1);
    // Both batches' appends are made, the first one still unanswered.
    await until(() => w.appendCalls.length === 2);
    expect(w.appendCalls).toEqual([first.map((e) => e.id), second.map((e) => e.id)]);
    commits.open();
    await w.idle();
    expect(w.appended.map((e) => e.causationId)).toEqual([...first, ...second].map((e) => e.id));
  });

  it('waits for the commit before its next batch when it follows its own commits', async () => {
    const commits = gate();
    const committed: string[] = [];
    const w = await worker({ handle: derive, committed: (e) => committed.push(e.causationId!) }, { gate: commits.wait });
    const first = await w.give(2);
    await until(() => w.appendCalls.length === 1);
    await w.give(1);
    await sleep(50);
    expect(w.appendCalls).toEqual([first.map((e) => e.id)]);
    commits.open();
    await w.idle();
    expect(w.appendCalls).toHaveLength(2);
    expect(committed).toHaveLength(3);
  });

  it('keeps a held input open until the node completes it, then appends its events caused by what it names', async () => {
    const completers: ((outputs: Output[], causes: StoredEvent[]) => Promise<void>)[] = [];
    const held: StoredEvent[] = [];
    const w = await worker({
      handle: (event, io) => {
        held.push(event);
        completers.push(io.hold());
        return [];
      },
    });
    await w.give(2);
    await until(() => completers.length === 2);
    expect(w.appendCalls).toEqual([]);
    await completers[1]!([{ kind: 'emit', type: 'pair', data: {} }], held);
    expect(w.appended).toHaveLength(1);
    expect(w.appended[0]!.metadata.causes).toEqual(held.map((e) => e.id));
    // The first input is still open: the checkpoint cannot pass it.
    expect(w.progress.checkpoint).toBe(0);
    await completers[0]!([], []);
    expect(w.progress.checkpoint).toBe(held[1]!.position);
  });

  it('stalls when the store keeps failing: the inputs stay held, so the checkpoint cannot pass them', async () => {
    const w = await worker({ handle: derive }, { gate: () => Promise.reject(new Error('disk gone')) });
    await w.give(1);
    await until(() => w.appendCalls.length === 1);
    // The first try failed and retries wait before trying again: the input is held meanwhile.
    expect(w.progress.inFlight).toBe(1);
    await until(() => w.stalled.length > 0);
    expect(w.stalled).toEqual([new Error('disk gone')]);
    expect(w.progress.inFlight).toBe(1);
    expect(w.worker.counters.errors).toBe(1);
  });
});
