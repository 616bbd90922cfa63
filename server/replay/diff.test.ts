import { describe, expect, it } from 'vitest';
import { diffOutputs, OutputComparer, valueChanges } from './diff.js';

let position = 0;
const out = (nodeId: string, causationId: string, over: Record<string, unknown> = {}) => ({
  id: `id-${++position}`,
  type: 'reading.converted',
  subject: null,
  stream: `flow/f/${nodeId}`,
  data: { celsius: 9 } as unknown,
  nodeId,
  causationId,
  position,
  metadata: { port: 'out' } as Record<string, unknown>,
  ...over,
});

describe('comparing replayed outputs with the original ones', () => {
  it('finds every output identical when the replay said the same things (ids, positions and clocks aside)', () => {
    const original = [out('conv', 'r1'), out('conv', 'r2'), out('keep', 'x1')];
    const replayed = original.map((e) => ({ ...e, id: `replay-${e.id}`, position: e.position + 100 }));
    const diff = diffOutputs(original, replayed);
    expect(diff.summary).toEqual({ identical: 3, changed: 0, missing: 0, extra: 0 });
    expect(diff.changes).toEqual([]);
  });

  it('reports a changed output with the differing data field', () => {
    const diff = diffOutputs([out('conv', 'r1', { data: { celsius: 9, unit: 'C' } })], [out('conv', 'r1', { data: { celsius: 10, unit: 'C' } })]);
    expect(diff.summary.changed).toBe(1);
    expect(diff.changes[0]).toMatchObject({ status: 'changed', nodeId: 'conv', causationId: 'r1', index: 0, fields: [{ path: 'data.celsius', original: 9, replayed: 10 }] });
  });

  it('reports a changed type, stream and output port', () => {
    const diff = diffOutputs([out('route', 'r1')], [out('route', 'r1', { type: 'other', stream: 's2', metadata: { port: 'hot' } })]);
    expect(diff.changes[0]?.fields.map((f) => f.path)).toEqual(['type', 'stream', 'metadata.port']);
  });

  it('reports an output the replay no longer made as missing, and a new one as extra', () => {
    const diff = diffOutputs([out('warm', 'r1'), out('warm', 'r2')], [out('warm', 'r2'), out('warm', 'r3')]);
    expect(diff.summary).toEqual({ identical: 1, changed: 0, missing: 1, extra: 1 });
    // Listed as found: the replay's outputs in their order, then the originals nothing matched.
    expect(diff.changes.map((c) => [c.status, c.causationId])).toEqual([
      ['extra', 'r3'],
      ['missing', 'r1'],
    ]);
  });

  it('tells apart several outputs of one node for one input by their order', () => {
    const original = [out('fn', 'r1', { data: { n: 1 } }), out('fn', 'r1', { data: { n: 2 } })];
    const replayed = [out('fn', 'r1', { data: { n: 1 } })];
    const diff = diffOutputs(original, replayed);
    expect(diff.summary).toEqual({ identical: 1, changed: 0, missing: 1, extra: 0 });
    expect(diff.changes[0]).toMatchObject({ status: 'missing', index: 1 });
  });

  it('counts the outcome per node', () => {
    const diff = diffOutputs([out('a', 'r1'), out('b', 'r1')], [out('a', 'r1'), out('b', 'r1', { data: {} })]);
    expect(diff.byNode).toEqual({
      a: { identical: 1, changed: 0, missing: 0, extra: 0 },
      b: { identical: 0, changed: 1, missing: 0, extra: 0 },
    });
  });
});

describe('comparing as the outputs come, a page at a time', () => {
  it('matches the replayed outputs of each page against the originals taken first, as the whole lists would', () => {
    const original = [out('conv', 'r1', { data: { celsius: 1 } }), out('conv', 'r2'), out('fn', 'r3', { data: { n: 1 } }), out('fn', 'r3', { data: { n: 2 } })];
    const replayed = [out('conv', 'r1', { data: { celsius: 2 } }), out('conv', 'r2'), out('fn', 'r3', { data: { n: 1 } }), out('fn', 'r4')];
    const comparer = new OutputComparer(Infinity);
    original.forEach((e) => comparer.original(e, 0));
    comparer.replayed(replayed[0]!);
    comparer.replayed(replayed[1]!);
    expect(comparer.result().summary).toEqual({ identical: 1, changed: 1, missing: 0, extra: 0 });
    comparer.replayed(replayed[2]!);
    comparer.replayed(replayed[3]!);
    comparer.finish();
    const whole = diffOutputs(original, replayed);
    expect(comparer.result().summary).toEqual(whole.summary);
    expect(comparer.result().byNode).toEqual(whole.byNode);
    expect(comparer.result().changes.map((c) => [c.status, c.nodeId, c.causationId, c.index])).toEqual(whole.changes.map((c) => [c.status, c.nodeId, c.causationId, c.index]));
  });

  it('finds two outputs identical whatever the order of their data keys, and changed by any field', () => {
    const comparer = new OutputComparer(Infinity);
    comparer.original(out('conv', 'r1', { data: { a: 1, b: { c: [1, 2] } } }), 0);
    comparer.original(out('conv', 'r2', { subject: 's' }), 0);
    comparer.replayed(out('conv', 'r1', { data: { b: { c: [1, 2] }, a: 1 } }));
    comparer.replayed(out('conv', 'r2', { subject: 't' }));
    expect(comparer.result().summary).toEqual({ identical: 1, changed: 1, missing: 0, extra: 0 });
  });

  it('hands over each listed change once to have its fields found from the original', () => {
    const comparer = new OutputComparer(Infinity);
    const original = out('conv', 'r1', { data: { celsius: 1 } });
    comparer.original(original, 0);
    const replayed = out('conv', 'r1', { data: { celsius: 2 } });
    comparer.replayed(replayed);
    const [unfilled, ...rest] = comparer.takeUnfilled();
    expect(rest).toEqual([]);
    expect(unfilled).toMatchObject({ change: { status: 'changed', originalId: original.id, replayId: replayed.id, fields: [] }, replayed });
    expect(comparer.takeUnfilled()).toEqual([]);
  });

  it('counts as missing only the originals of inputs the replay reached', () => {
    const comparer = new OutputComparer(Infinity);
    comparer.original(out('conv', 'r1'), 0);
    comparer.original(out('conv', 'r2'), 1);
    comparer.original(out('conv', 'r3'), 2);
    comparer.finish((root) => root < 2);
    expect(comparer.result().summary).toEqual({ identical: 0, changed: 0, missing: 2, extra: 0 });
    expect(comparer.result().changes.map((c) => c.causationId)).toEqual(['r1', 'r2']);
  });

  it('counts every change but lists only the first ones', () => {
    const comparer = new OutputComparer(2);
    for (const cause of ['r1', 'r2', 'r3']) comparer.replayed(out('conv', cause));
    expect(comparer.result()).toMatchObject({ summary: { extra: 3 }, truncated: true });
    expect(comparer.result().changes.map((c) => c.causationId)).toEqual(['r1', 'r2']);
  });
});

describe('differences between two values', () => {
  it('names added, removed and changed leaves by path, arrays by index', () => {
    expect(valueChanges({ a: 1, b: [1, 2], c: 'x' }, { a: 1, b: [1, 3], d: true }, 'data')).toEqual([
      { path: 'data.b.1', original: 2, replayed: 3 },
      { path: 'data.c', original: 'x' },
      { path: 'data.d', replayed: true },
    ]);
  });

  it('reports a whole value when its shape changed', () => {
    expect(valueChanges({ a: [1] }, { a: { 0: 1 } }, 'data')).toEqual([{ path: 'data.a', original: [1], replayed: { 0: 1 } }]);
  });
});
