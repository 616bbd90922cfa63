import { describe, expect, it } from 'vitest';
import { EVENT_FIELDS, fieldsAt, fieldTreeOf, pathBefore, samplesFor, upstreamOf } from './event-fields.js';

describe('event fields for completion', () => {
  const events = [
    { nodeId: 'src', type: 'reading', data: { temperature: 4.2, site: { name: 'north' } } },
    { nodeId: 'src', type: 'reading', data: { humidity: 51, readings: [{ at: 1 }] } },
  ];

  it('offers every event field at the top, with no sample at all', () => {
    expect(fieldsAt(fieldTreeOf([]), [])).toEqual([...EVENT_FIELDS]);
  });

  it('offers the keys seen under data in the sample events, nested and inside arrays', () => {
    const tree = fieldTreeOf(events);
    expect(fieldsAt(tree, ['data'])).toEqual(['temperature', 'site', 'humidity', 'readings']);
    expect(fieldsAt(tree, ['data', 'site'])).toEqual(['name']);
    expect(fieldsAt(tree, ['data', 'readings'])).toEqual(['at']);
    expect(fieldsAt(tree, ['data', 'nothing'])).toEqual([]);
  });

  it('reads the path being typed, from the event itself in JSONata and from `event` in JavaScript', () => {
    expect(pathBefore('data.t > 3 and data.te', null)).toEqual({ path: ['data'], word: 'te' });
    expect(pathBefore('$sum(data.', null)).toEqual({ path: ['data'], word: '' });
    expect(pathBefore('return event.data.site.na', 'event')).toEqual({ path: ['data', 'site'], word: 'na' });
    expect(pathBefore('return event.', 'event')).toEqual({ path: [], word: '' });
    expect(pathBefore('return other.data.', 'event')).toBeNull();
  });

  it('takes the samples stored upstream of the node, or every sample when none was', () => {
    const edges = [{ source: 'src', target: 'f' }, { source: 'f', target: 't' }, { source: 't', target: 'out' }];
    expect([...upstreamOf('t', edges)].sort()).toEqual(['f', 'src']);
    const derived = { nodeId: 't', data: { celsius: 4 } };
    expect(samplesFor('f', edges, [...events, derived])).toEqual(events);
    expect(samplesFor('out', edges, [derived])).toEqual([derived]);
    expect(samplesFor('src', edges, [derived])).toEqual([derived]);
  });
});
