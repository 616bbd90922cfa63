import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCompareView, decodeTimelineView, encodeCompareView, encodeTimelineView, type CompareView, type TimelineView } from './view-state.js';

const name = fc.string({ minLength: 1, maxLength: 40 });
const finite = fc.oneof(fc.integer({ min: -1e9, max: 1e9 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((n) => Math.round(n * 1000) / 1000 + 0));

const timelineView: fc.Arbitrary<TimelineView> = fc
  .record(
    {
      source: name,
      execution: name,
      axis: fc.constantFrom('time' as const, 'causal' as const),
      range: fc.tuple(finite, finite).map(([a, b]) => (a <= b ? [a, b] : [b, a]) as [number, number]),
      event: name,
      q: name,
      match: fc.integer({ min: 1, max: 999 }),
    },
    { requiredKeys: [] },
  )
  .map((v) => {
    const out = { ...v };
    if (out.axis === (out.execution ? 'causal' : 'time')) delete out.axis;
    if (!out.q) delete out.match;
    return out;
  });

const compareView: fc.Arbitrary<CompareView> = fc.record({ log: name, a: name, b: name, group: fc.constantFrom('distance' as const), threshold: fc.integer({ min: 0, max: 100 }).map((n) => n / 100) }, { requiredKeys: [] }).map((v) => {
  const out = { ...v };
  if (!out.group) delete out.threshold;
  return out;
});

describe('a timeline view as a link', () => {
  it('reads back every view it writes (property)', () => {
    fc.assert(
      fc.property(timelineView, (view) => {
        expect(decodeTimelineView(encodeTimelineView(view))).toEqual({ view, problems: [] });
      }),
      { numRuns: 500 },
    );
  });

  it('writes one address per view: defaults left out, names in a fixed order', () => {
    expect(encodeTimelineView({})).toBe('');
    expect(encodeTimelineView({ axis: 'time', match: 0 })).toBe('');
    expect(encodeTimelineView({ q: 'broadcast', source: 'shiviz://a.log', axis: 'causal', match: 2 })).toBe('source=shiviz%3A%2F%2Fa.log&axis=causal&q=broadcast&match=2');
    // An imported execution opens in causal order: only the time axis is written for it.
    expect(encodeTimelineView({ execution: 'imp-0123456789ab.1', axis: 'causal', q: 'broadcast' })).toBe('execution=imp-0123456789ab.1&q=broadcast');
    expect(encodeTimelineView({ execution: 'imp-0123456789ab.1', axis: 'time' })).toBe('execution=imp-0123456789ab.1&axis=time');
  });

  it('reads a link a user mangled: what it cannot read stays at its default and is named', () => {
    expect(decodeTimelineView('axis=sideways&range=1..x&match=3&q=' + 'x'.repeat(5000))).toEqual({
      view: {},
      problems: ['axis: expected time or causal, not "sideways"', 'range: expected <from>..<to>, two numbers', 'q: longer than 1000 characters', 'match: expected the index of a match of the search q'],
    });
    expect(decodeTimelineView('range=1e400..2').problems).toHaveLength(1);
    expect(decodeTimelineView('range=9..3').view.range).toEqual([3, 9]);
    expect(decodeTimelineView('event=ev-1').view).toEqual({ event: 'ev-1' });
  });

  it('never throws on any query string (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const { view } = decodeTimelineView(s);
        if (view.range) expect(view.range[0]).toBeLessThanOrEqual(view.range[1]);
        decodeCompareView(s);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('a comparison as a link', () => {
  it('reads back every comparison it writes (property)', () => {
    fc.assert(
      fc.property(compareView, (view) => {
        expect(decodeCompareView(encodeCompareView(view))).toEqual({ view, problems: [] });
      }),
      { numRuns: 500 },
    );
  });

  it('names what it cannot read', () => {
    expect(decodeCompareView(`a=${'x'.repeat(2000)}&group=size&threshold=2`)).toEqual({
      view: {},
      problems: ['a: longer than 1024 characters', 'group: expected processes or distance', 'threshold: expected a number from 0 to 1, with group=distance'],
    });
    expect(decodeCompareView('log=imp-0123456789ab&a=imp-0123456789ab.1&b=imp-0123456789ab.3').view).toEqual({ log: 'imp-0123456789ab', a: 'imp-0123456789ab.1', b: 'imp-0123456789ab.3' });
  });
});
