import { describe, expect, it } from 'vitest';
import type { NodeCounters } from '../../shared/api/flows.js';
import { instanceCounters } from './instance-counters.js';

const c = (n: Partial<NodeCounters>): NodeCounters => ({ in: 0, out: 0, errors: 0, queued: 0, ...n });

describe('instanceCounters', () => {
  // Instance `a`: its input feeds a.first and a.side; a.second feeds its output; a.side leads nowhere.
  const instances = new Map([['a', { nodes: ['a.first', 'a.second', 'a.side'], entries: ['a.first', 'a.side'], exits: ['a.second'] }]]);

  it('counts in what its entry nodes took in, out what its exit nodes sent, and errors and queued over all its nodes', () => {
    const nodes = {
      src: c({ out: 100 }),
      'a.first': c({ in: 10, out: 7, errors: 3, queued: 1, lastAt: '2026-01-01T00:00:01.000Z' }),
      'a.second': c({ in: 7, out: 6, errors: 1, lastAt: '2026-01-01T00:00:03.000Z' }),
      'a.side': c({ in: 10, out: 0, queued: 2, lastAt: '2026-01-01T00:00:02.000Z' }),
    };
    expect(instanceCounters(instances, nodes)).toEqual({ a: { in: 20, out: 6, errors: 4, queued: 3, lastAt: '2026-01-01T00:00:03.000Z' } });
  });

  it('sums the live keys of the actors inside, and leaves keys out when there are none', () => {
    const withActor = instanceCounters(instances, { 'a.first': c({ keys: 4 }), 'a.second': c({ keys: 2 }) });
    expect(withActor.a?.keys).toBe(6);
    expect(instanceCounters(instances, { 'a.first': c({ in: 1 }) }).a).toEqual({ in: 1, out: 0, errors: 0, queued: 0 });
  });

  it('is zero for an instance whose nodes have not counted yet, and empty for a flow without instances', () => {
    expect(instanceCounters(instances, {})).toEqual({ a: { in: 0, out: 0, errors: 0, queued: 0 } });
    expect(instanceCounters(new Map(), { x: c({ in: 1 }) })).toEqual({});
  });
});
