import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partitionKey, placementOf, type PartitionRef } from './placement.js';

const partitionsOf = (flows: string[], count: number): PartitionRef[] => flows.flatMap((flowId) => Array.from({ length: count }, (_, partition) => ({ flowId, partition })));

const flowsArb = fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { minLength: 1, maxLength: 8 });
const membersArb = fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,10}$/), { minLength: 1, maxLength: 6 });

function loads(plan: Map<string, string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const member of plan.values()) out.set(member, (out.get(member) ?? 0) + 1);
  return out;
}

describe('placement', () => {
  it('places every partition on exactly one alive member', () => {
    fc.assert(
      fc.property(flowsArb, fc.integer({ min: 1, max: 8 }), membersArb, (flows, count, members) => {
        const partitions = partitionsOf(flows, count);
        const plan = placementOf(partitions, members);
        expect([...plan.keys()].sort()).toEqual(partitions.map(partitionKey).sort());
        for (const member of plan.values()) expect(members).toContain(member);
      }),
    );
  });

  it('gives no member more than its share, rounded up', () => {
    fc.assert(
      fc.property(flowsArb, fc.integer({ min: 1, max: 8 }), membersArb, (flows, count, members) => {
        const partitions = partitionsOf(flows, count);
        const capacity = Math.ceil(partitions.length / members.length);
        for (const n of loads(placementOf(partitions, members)).values()) expect(n).toBeLessThanOrEqual(capacity);
      }),
    );
  });

  it('is the same plan whatever order the members and partitions are listed in', () => {
    fc.assert(
      fc.property(flowsArb, membersArb, fc.integer(), (flows, members, seed) => {
        const partitions = partitionsOf(flows, 8);
        const shuffled = <T>(xs: T[]) => [...xs].sort((a, b) => ((JSON.stringify(a).length * 31 + seed) % 7) - ((JSON.stringify(b).length * 17 + seed) % 5));
        expect(placementOf(shuffled(partitions), shuffled(members))).toEqual(placementOf(partitions, members));
      }),
    );
  });

  it('moves little when a member leaves: its partitions, and over many clusters few of the others\'', () => {
    // The bound can push a partition or two along in a small cluster, so the law is over many: of 300 random
    // clusters losing a member, the members that stay give up fewer partitions in all than a quarter of the leaver's.
    const clusters = fc.sample(fc.tuple(flowsArb, fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 2, maxLength: 6 })), { numRuns: 300, seed: 16 });
    let held = 0;
    let moved = 0;
    for (const [flows, members] of clusters) {
      const partitions = partitionsOf(flows, 8);
      const before = placementOf(partitions, members);
      const gone = members[0]!;
      const after = placementOf(partitions, members.slice(1));
      for (const member of after.values()) expect(member).not.toBe(gone);
      held += [...before.values()].filter((m) => m === gone).length;
      moved += [...before.entries()].filter(([key, member]) => member !== gone && after.get(key) !== member).length;
    }
    expect(held).toBeGreaterThan(1000);
    expect(moved).toBeLessThan(held / 4);
  });

  it('spreads 8 partitions of 3 flows over 3 members evenly, and places nothing without members', () => {
    const plan = placementOf(partitionsOf(['a', 'b', 'c'], 8), ['r1', 'r2', 'r3']);
    expect([...loads(plan).values()].sort()).toEqual([8, 8, 8]);
    expect(placementOf(partitionsOf(['a'], 8), []).size).toBe(0);
  });
});
