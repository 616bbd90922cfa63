import { describe, expect, it } from 'vitest';
import { DEADLETTER_STREAM, deriveContext } from './derive.js';
import { draftsOf, type Emission } from './input-drafts.js';
import type { Output } from './node.js';
import { ProcessClocks } from './process-clocks.js';
import { compiledNode, storedEvent } from './testing/fixtures.js';

const limits = { maxDerivedPerInput: 3, hopLimit: 5 };
const ctx = () => deriveContext('f', 1, compiledNode('transform', { expression: 'data', type: 'out' }, 'conv'), new ProcessClocks({ latestClock: async () => null }));
const emit = (n: number): Output[] => Array.from({ length: n }, (_, i) => ({ kind: 'emit', type: 'part', data: i }));

describe("an input's drafts", () => {
  it('derives one event per emit output, caused by the input, and none for what it forwards', () => {
    const event = storedEvent();
    const counters = { errors: 0 };
    const outputs: Output[] = [{ kind: 'forward', port: 'out' }, ...emit(2)];
    const drafts = draftsOf(ctx(), { delivery: { event, arrival: 'e1' }, outputs, causes: null }, limits, counters);
    expect(drafts.map((d) => [d.type, d.data, d.causationId, d.metadata.hops])).toEqual([
      ['part', 0, event.id, 1],
      ['part', 1, event.id, 1],
    ]);
    expect(counters.errors).toBe(0);
  });

  it("takes a held input's causes from the batch it closed", () => {
    const [a, b] = [storedEvent(), storedEvent({ metadata: { hops: 2 } })];
    const [draft] = draftsOf(ctx(), { delivery: { event: b, arrival: 'e1' }, outputs: emit(1), causes: [a, b] }, limits, { errors: 0 });
    expect(draft!.metadata).toMatchObject({ hops: 3, causes: [a.id, b.id] });
  });

  it('has nothing to append for an input that emits nothing', () => {
    expect(draftsOf(ctx(), { delivery: { event: storedEvent(), arrival: 'e1' }, outputs: [], causes: null }, limits, { errors: 0 })).toEqual([]);
  });

  it("dead-letters a failed input with its failure (counted where it failed, not here)", () => {
    const event = storedEvent();
    const counters = { errors: 0 };
    const emission: Emission = { delivery: { event, arrival: 'e1' }, failure: { code: 'error', message: 'negative reading' } };
    const [letter] = draftsOf(ctx(), emission, limits, counters);
    expect(letter).toMatchObject({ stream: DEADLETTER_STREAM, causationId: event.id, data: { error: { code: 'error', message: 'negative reading' }, event } });
    expect(counters.errors).toBe(0);
  });

  it('dead-letters an input that derives more events than the limit, and counts it', () => {
    const counters = { errors: 0 };
    const drafts = draftsOf(ctx(), { delivery: { event: storedEvent(), arrival: 'e1' }, outputs: emit(4), causes: null }, limits, counters);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.data).toMatchObject({ error: { code: 'too_many_events' } });
    expect(counters.errors).toBe(1);
  });

  it('dead-letters an input whose chain would pass the hop limit, and counts it', () => {
    const counters = { errors: 0 };
    const event = storedEvent({ metadata: { hops: 5 } });
    const drafts = draftsOf(ctx(), { delivery: { event, arrival: 'e1' }, outputs: emit(1), causes: null }, limits, counters);
    expect(drafts[0]!.data).toMatchObject({ error: { code: 'hop_limit' } });
    expect(counters.errors).toBe(1);
  });
});
