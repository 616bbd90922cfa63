import { describe, expect, it } from 'vitest';
import type { Output } from '../node.js';
import { handleOne, handlerFor, recordingIO, storedEvent } from '../testing/fixtures.js';

const run = async (type: string, config: Record<string, unknown>, data: unknown, over = {}) => {
  const h = await handlerFor(type, config);
  return handleOne(h, storedEvent({ data, ...over }), recordingIO().io);
};
const ports = (outputs: readonly Output[]) => outputs.map((o) => (o.kind === 'forward' ? o.port : `emit:${o.type}`));

describe('filter', () => {
  it('forwards the events its JSONata predicate holds for and drops the rest', async () => {
    expect(ports(await run('filter', { expression: 'data.t > 8' }, { t: 9 }))).toEqual(['out']);
    expect(ports(await run('filter', { expression: 'data.t > 8' }, { t: 3 }))).toEqual([]);
    expect(ports(await run('filter', { expression: 'data.missing' }, { t: 3 }))).toEqual([]);
  });

  it('sees the whole event (type, source)', async () => {
    expect(ports(await run('filter', { expression: "type = 'reading.recorded' and source = 'test://sensor'" }, {}))).toEqual(['out']);
  });
});

describe('transform', () => {
  it('emits the mapping as the new data, with the new type when one is set', async () => {
    const [out] = await run('transform', { expression: "{'celsius': data.t, 'from': source}", type: 'reading.converted' }, { t: 4 });
    expect(out).toMatchObject({ kind: 'emit', type: 'reading.converted', data: { celsius: 4, from: 'test://sensor' } });
  });

  it('keeps the input type when none is set, and maps nothing to null', async () => {
    const [out] = await run('transform', { expression: 'data.nothing' }, { t: 4 });
    expect(out).toMatchObject({ kind: 'emit', type: 'reading.recorded', data: null });
  });
});

describe('router', () => {
  const rules = [
    { port: 'hot', expression: 'data.t > 8' },
    { port: 'warm', expression: 'data.t > 5' },
  ];
  it('sends each event by the first matching rule, unmatched by "otherwise"', async () => {
    expect(ports(await run('router', { rules }, { t: 9 }))).toEqual(['hot']);
    expect(ports(await run('router', { rules }, { t: 6 }))).toEqual(['warm']);
    expect(ports(await run('router', { rules }, { t: 1 }))).toEqual(['otherwise']);
  });

  it('in mode "all" sends it by every matching rule', async () => {
    expect(ports(await run('router', { rules, mode: 'all' }, { t: 9 }))).toEqual(['hot', 'warm']);
  });
});

describe('batch', () => {
  it('holds events until the size is reached, then emits one event caused by all of them', async () => {
    const h = await handlerFor('batch', { size: 3, timeoutMs: 0, type: 'readings.batched' });
    const rec = recordingIO();
    const events = [1, 2, 3].map((t) => storedEvent({ data: { t } }));
    for (const e of events) expect(await handleOne(h, e, rec.io)).toEqual([]);
    await new Promise((r) => setTimeout(r, 0));
    const withOutputs = rec.released.filter((r) => r.outputs.length > 0);
    expect(withOutputs).toHaveLength(1);
    expect(rec.released).toHaveLength(3);
    const [emit] = withOutputs[0]!.outputs;
    expect(emit).toMatchObject({ kind: 'emit', type: 'readings.batched', data: { count: 3 } });
    expect(withOutputs[0]!.causes.map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('emits what it holds when the timeout passes', async () => {
    const h = await handlerFor('batch', { size: 100, timeoutMs: 20 });
    const rec = recordingIO();
    await handleOne(h, storedEvent(), rec.io);
    await handleOne(h, storedEvent(), rec.io);
    expect(rec.released).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(rec.released.filter((r) => r.outputs.length > 0)).toHaveLength(1);
    expect(rec.released).toHaveLength(2);
  });

  it('emits what it holds when flushed (a drain)', async () => {
    const h = await handlerFor('batch', { size: 100, timeoutMs: 0 });
    const rec = recordingIO();
    await handleOne(h, storedEvent(), rec.io);
    await h.flush!();
    await new Promise((r) => setTimeout(r, 0));
    expect(rec.released).toHaveLength(1);
    expect(rec.released[0]!.outputs).toHaveLength(1);
  });
});

describe('throttle', () => {
  it('lets at most perSecond events through per key and drops the rest', async () => {
    const h = await handlerFor('throttle', { perSecond: 2, key: 'data.k' });
    const io = recordingIO().io;
    const passed = [];
    for (let i = 0; i < 5; i++) passed.push(ports(await handleOne(h, storedEvent({ data: { k: 'a' } }), io)).length);
    expect(passed).toEqual([1, 1, 0, 0, 0]);
    expect(ports(await handleOne(h, storedEvent({ data: { k: 'b' } }), io))).toEqual(['out']);
  });
});

describe('dedupe', () => {
  it('drops an event whose key was seen within the window, and passes it again after', async () => {
    const h = await handlerFor('dedupe', { key: 'data.id', windowMs: 10_000 });
    const io = recordingIO().io;
    const at = (s: number) => new Date(1_800_000_000_000 + s * 1000).toISOString();
    expect(ports(await handleOne(h, storedEvent({ data: { id: 1 }, time: at(0) }), io))).toEqual(['out']);
    expect(ports(await handleOne(h, storedEvent({ data: { id: 1 }, time: at(5) }), io))).toEqual([]);
    expect(ports(await handleOne(h, storedEvent({ data: { id: 2 }, time: at(5) }), io))).toEqual(['out']);
    expect(ports(await handleOne(h, storedEvent({ data: { id: 1 }, time: at(11) }), io))).toEqual(['out']);
  });
});

describe('debug', () => {
  it('sends the event to the debug panel and nothing downstream', async () => {
    const h = await handlerFor('debug', {});
    const rec = recordingIO();
    const e = storedEvent();
    expect(await handleOne(h, e, rec.io)).toEqual([]);
    expect(rec.debugged).toEqual([e]);
  });
});

describe('store sink', () => {
  it('appends the event to the named stream, stating the version it follows once it knows it', async () => {
    const h = await handlerFor('store', { stream: 'alerts', expectVersion: true });
    const io = recordingIO().io;
    const [first] = await handleOne(h, storedEvent({ data: { x: 1 } }), io);
    expect(first).toMatchObject({ kind: 'emit', stream: 'alerts', data: { x: 1 } });
    expect(first).not.toHaveProperty('expectedVersion');
    h.committed!(storedEvent({ stream: 'alerts', version: 7 }));
    const [second] = await handleOne(h, storedEvent(), io);
    expect(second).toMatchObject({ stream: 'alerts', expectedVersion: 7 });
  });
});
