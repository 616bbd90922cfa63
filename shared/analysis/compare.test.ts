import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clustersByDistance, clustersByProcessCount } from './clusters.js';
import { compareExecutions } from './compare.js';
import { executionOf, hostOf, textOf, type Execution } from './executions.js';
import { logEvents, logExecutions } from './testing/shiviz-logs.js';

const executions = logExecutions('multiple-comparison.log');
const named = (label: string) => executions.find((e) => e.label === label)!;
const base = named('Base execution');

describe('the executions of an imported log', () => {
  it('each hold their own events, with hosts free of the execution prefix, each host in the order of its counter', () => {
    expect(executions.map((e) => e.label)).toEqual(['Base execution', 'Same as base', 'Different host from base', 'All events are different from base', 'Some events are different from base']);
    expect(base.hosts).toEqual(['mountainView', 'paloAlto']);
    expect(base.events.map(hostOf)).toEqual([...Array(4).fill('mountainView'), ...Array(4).fill('paloAlto')]);
    // Stored out of order, each host's events still come in the order of its counter (hosts as first seen).
    const stored = logEvents('multiple-comparison.log').filter((e) => (e.data as { execution: string }).execution === 'Base execution');
    const reread = executionOf('x', 'Base execution', [...stored].reverse());
    expect(reread.hosts).toEqual(['paloAlto', 'mountainView']);
    expect(reread.events).toEqual([...base.events.slice(4), ...base.events.slice(0, 4)]);
    expect(executionOf('x', 'log', logEvents('reliable-broadcast.log')).hosts).toEqual(['node0', 'node1', 'node3', 'node2']);
  });
});

describe('comparing two executions of multiple-comparison.log', () => {
  it('finds nothing different between the base and its copy', () => {
    const c = compareExecutions(base, named('Same as base'));
    expect(c).toMatchObject({ onlyA: [], onlyB: [], distance: 0, hosts: { onlyA: [], onlyB: [], both: ['mountainView', 'paloAlto'] } });
    expect(c.pairs).toHaveLength(8);
  });

  it('names the host present in only one of them', () => {
    const c = compareExecutions(base, named('Different host from base'));
    expect(c.hosts).toEqual({ onlyA: ['mountainView'], onlyB: ['seattle'], both: ['paloAlto'] });
    expect(c.onlyA.map((i) => hostOf(base.events[i]!))).toContain('mountainView');
  });

  it('names the events present in only one of them', () => {
    const other = named('Some events are different from base');
    const c = compareExecutions(base, other);
    expect(c.onlyA.map((i) => textOf(base.events[i]!))).toEqual([
      '72.14.255.255 4/24/2015 12:04:28 PM INFO Received sync request src=204.15.23.252',
      '72.14.255.255 4/24/2015 12:04:30 PM INFO Sending confirmation dest=204.15.23.252',
      '204.15.23.252 4/24/2015 12:04:23 PM INFO Initiating sync dest=72.14.255.255',
      '204.15.23.252 4/24/2015 12:04:32 PM INFO Sync confirmed src=72.14.255.255',
    ]);
    expect(c.onlyB.map((i) => textOf(other.events[i]!))).toContain('204.15.23.252 4/24/2015 12:04:23 PM GET /timeline id=paloAlto location=california');
    expect(c.distance).toBeCloseTo(8 / 12);
    expect(compareExecutions(base, named('All events are different from base')).distance).toBe(1);
  });
});

describe('grouping the executions of multiple-comparison.log', () => {
  it('by number of processes: all five have two', () => {
    expect(clustersByProcessCount(executions)).toEqual([{ title: '2 processes', members: [0, 1, 2, 3, 4] }]);
  });

  it('by distance: identical executions together, the rest apart until the threshold lets them in', () => {
    expect(clustersByDistance(executions, 0).map((c) => c.members)).toEqual([[0, 1], [2], [3], [4]]);
    expect(clustersByDistance(executions, 0.7).map((c) => c.members)).toEqual([[0, 1, 4], [2], [3]]);
    expect(clustersByDistance(executions, 1).map((c) => c.members)).toEqual([[0, 1, 2, 3, 4]]);
  });
});

/** A made-up execution: events as (host, text) pairs. */
const execution: fc.Arbitrary<Pick<Execution, 'events' | 'hosts'>> = fc.array(fc.tuple(fc.constantFrom('h1', 'h2', 'h3'), fc.constantFrom('x', 'y', 'z')), { maxLength: 12 }).map((pairs) => {
  const counters = new Map<string, number>();
  const events = pairs.map(([host, text]) => {
    const n = (counters.get(host) ?? 0) + 1;
    counters.set(host, n);
    return { id: `${host}:${n}`, type: 't', source: 'test://c', process: host, vectorClock: { [host]: n }, causationId: null, data: { text } };
  });
  return { events, hosts: [...new Set(events.map((e) => e.process))] };
});

describe('comparison (property)', () => {
  it('is symmetric, accounts for every event once, and puts an execution at distance 0 from itself', () => {
    fc.assert(
      fc.property(execution, execution, (a, b) => {
        const ab = compareExecutions(a, b);
        const ba = compareExecutions(b, a);
        expect(ab.distance).toBeCloseTo(ba.distance);
        expect(ab.onlyA.length).toBe(ba.onlyB.length);
        expect(ab.hosts.onlyA).toEqual(ba.hosts.onlyB);
        expect(ab.pairs.length + ab.onlyA.length).toBe(a.events.length);
        expect(ab.pairs.length + ab.onlyB.length).toBe(b.events.length);
        for (const [i, j] of ab.pairs) {
          expect(hostOf(a.events[i]!)).toBe(hostOf(b.events[j]!));
          expect(textOf(a.events[i]!)).toBe(textOf(b.events[j]!));
        }
        expect(compareExecutions(a, a)).toMatchObject({ onlyA: [], onlyB: [], distance: 0 });
        expect(ab.distance).toBeGreaterThanOrEqual(0);
        expect(ab.distance).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });
});
