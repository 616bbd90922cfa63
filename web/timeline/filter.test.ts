import { describe, expect, it } from 'vitest';
import { matchMask, type FilterableEvent } from './filter.js';

let position = 0;
const ev = (over: Partial<FilterableEvent>): FilterableEvent => ({
  position: ++position,
  type: 'reading.recorded',
  source: 'mqtt://plant/sensor-1',
  process: 'sensor-1',
  flowId: null,
  correlationId: 'c1',
  time: 1000,
  ...over,
});

const events = [
  ev({}),
  ev({ type: 'alert.raised', process: 'main', flowId: 'f1', correlationId: 'c2', time: 2000 }),
  ev({ type: 'reading.converted', source: 'causeway://flows/f1/nodes/n2', process: 'main', flowId: 'f1', time: 3000 }),
];

describe('matching events to a query', () => {
  it('matches everything when the query is empty', () => {
    expect(Array.from(matchMask(events, {}))).toEqual([1, 1, 1]);
  });

  it('matches types by pattern', () => {
    expect(Array.from(matchMask(events, { types: ['reading.*'] }))).toEqual([1, 0, 1]);
  });

  it('matches by source part, process, flow and correlation id', () => {
    expect(Array.from(matchMask(events, { source: 'flows/f1' }))).toEqual([0, 0, 1]);
    expect(Array.from(matchMask(events, { process: 'main' }))).toEqual([0, 1, 1]);
    expect(Array.from(matchMask(events, { flowId: 'f1', correlationId: 'c1' }))).toEqual([0, 0, 1]);
  });

  it('matches a half-open time range', () => {
    expect(Array.from(matchMask(events, { from: 2000, to: 3000 }))).toEqual([0, 1, 0]);
  });

  it('matches payload text by the positions the server found, and nothing before they are known', () => {
    const found = new Set([events[1]!.position]);
    expect(Array.from(matchMask(events, { text: 'too warm' }, found))).toEqual([0, 1, 0]);
    expect(Array.from(matchMask(events, { text: 'too warm' }))).toEqual([0, 0, 0]);
    expect(Array.from(matchMask(events, { text: 'too warm', process: 'sensor-1' }, found))).toEqual([0, 0, 0]);
  });
});
