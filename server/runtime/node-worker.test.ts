import { afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../shared/event.js';
import { NodeFailure, type NodeHandler, type Output } from './node.js';
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

describe('a node handling its inputs', () => {
  it('handles them in arrival order and derives their events with one append call per batch', async () => {
    const seen: string[] = [];
    const w = await worker({ handle: (event) => (seen.push(event.id), derive(event)) });
    const inputs = await w.give(5);
    await w.idle();
    expect(seen).toEqual(inputs.map((e) => e.id));
    expect(w.appendCalls.flat()).toEqual(inputs.map((e) => e.id));
    expect(w.appendCalls.length).toBeLessThan(5);
    expect(w.appended.map((e) => e.causationId)).toEqual(inputs.map((e) => e.id));
    expect(w.worker.counters).toMatchObject({ in: 5, out: 5, errors: 0 });
  });

  it('passes forwarded inputs on by the port named, and counts them out', async () => {
    const w = await worker({ handle: (event) => ((event.data as { i: number }).i % 2 === 0 ? [{ kind: 'forward', port: 'even' }] : []) }, { type: 'router', config: { rules: [{ port: 'even', expression: 'true' }] } });
    const inputs = await w.give(4);
    await w.idle();
    expect(w.delivered.map((d) => [d.port, d.event.id])).toEqual([
      ['even', inputs[1]!.id],
      ['even', inputs[3]!.id],
    ]);
    expect(w.worker.counters).toMatchObject({ in: 4, out: 2 });
    expect(w.appendCalls).toEqual([]);
  });

  it('sends a failing input to the dead letters, counts it, and handles the rest', async () => {
    const w = await worker({
      handle: (event) => {
        if ((event.data as { i: number }).i === 2) throw new NodeFailure('too_hot', 'reading out of range');
        return derive(event);
      },
    });
    const inputs = await w.give(3);
    await w.idle();
    const letter = w.appended.find((e) => e.stream === '$deadletter');
    expect(letter).toMatchObject({ causationId: inputs[1]!.id, data: { error: { code: 'too_hot', message: 'reading out of range' } } });
    expect(w.appended.filter((e) => e.stream !== '$deadletter').map((e) => e.causationId)).toEqual([inputs[0]!.id, inputs[2]!.id]);
    expect(w.worker.counters).toMatchObject({ in: 3, out: 2, errors: 1 });
  });

  it('after a restart, skips what it handled before the start unless it forwards or keeps state', async () => {
    const seen: string[] = [];
    const w = await worker({ handle: (event) => (seen.push(event.id), derive(event)) }, { resumeFrom: 2 });
    const inputs = await w.give(3);
    await w.idle();
    expect(seen).toEqual([inputs[2]!.id]);
    expect(w.worker.counters.in).toBe(3);

    const forwarded: string[] = [];
    const f = await worker({ handle: (event) => (forwarded.push(event.id), [{ kind: 'forward', port: 'out' }]) }, { type: 'filter', config: { expression: 'true' }, resumeFrom: 2 });
    const passed = await f.give(2);
    await f.idle();
    expect(forwarded).toEqual(passed.map((e) => e.id));

    const folded: string[] = [];
    const a = await worker({ handle: (event) => (folded.push(event.id), []), snapshot: () => ({}) }, { resumeFrom: 2 });
    const kept = await a.give(2);
    await a.idle();
    expect(folded).toEqual(kept.map((e) => e.id));
  });
});

describe('a node that takes its inputs as a batch', () => {
  it('gets one call for the batch and answers each input in order, a failure dead-lettering only its own', async () => {
    const calls: number[] = [];
    const w = await worker({
      handleBatch: (events) => {
        calls.push(events.length);
        return events.map((e) => ((e.data as { i: number }).i === 2 ? new NodeFailure('error', 'bad input') : derive(e)));
      },
    });
    const inputs = await w.give(3);
    await w.idle();
    expect(calls.reduce((a, b) => a + b, 0)).toBe(3);
    expect(w.appended.map((e) => [e.stream, e.causationId])).toEqual([
      ['flow/f/n1', inputs[0]!.id],
      ['$deadletter', inputs[1]!.id],
      ['flow/f/n1', inputs[2]!.id],
    ]);
    expect(w.worker.counters).toMatchObject({ in: 3, out: 2, errors: 1 });
  });

  it('dead-letters every input of a batch whose call throws', async () => {
    const w = await worker({
      handleBatch: () => {
        throw new Error('the thread died');
      },
    });
    await w.give(2);
    await w.idle();
    expect(w.appended.map((e) => [e.stream, (e.data as { error: { message: string } }).error.message])).toEqual([
      ['$deadletter', 'the thread died'],
      ['$deadletter', 'the thread died'],
    ]);
    expect(w.worker.counters.errors).toBe(2);
  });

  it('takes at most batchSize inputs from its mailbox at once: one call per batch, and one append', async () => {
    const sizes: number[] = [];
    const handler: NodeHandler = { handleBatch: (events) => (sizes.push(events.length), events.map(derive)) };
    const small = await worker(handler, { batchSize: 3 });
    await small.give(10);
    await small.idle();
    expect(sizes).toEqual([3, 3, 3, 1]);
    expect(small.appendCalls.map((call) => call.length)).toEqual([3, 3, 3, 1]);

    sizes.length = 0;
    const large = await worker(handler);
    await large.give(10);
    await large.idle();
    expect(sizes).toEqual([10]);
  });
});
