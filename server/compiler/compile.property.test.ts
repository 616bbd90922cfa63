import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compile } from './compile.js';
import { actor, flow, type EdgeSpec, type NodeSpec } from './testing/flows.js';

/** Forward nodes that need no sandbox: filter, throttle, dedupe. */
const forwardNode = (id: string, kind: number): NodeSpec =>
  [
    { id, type: 'filter', config: { expression: 'data.t > 1' } },
    { id, type: 'throttle', config: { perSecond: 5 } },
    { id, type: 'dedupe', config: { key: 'data.id' } },
  ][kind % 3]!;

/** A timer feeding p0 → p1 → … → p(n-1), plus random forward edges p(i) → p(j), i < j. */
const dags = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.record({
    kinds: fc.array(fc.nat(2), { minLength: n, maxLength: n }),
    extra: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 20 }),
  }),
);

function dag({ kinds, extra }: { kinds: number[]; extra: [number, number][] }) {
  const nodes: NodeSpec[] = [{ id: 'src', type: 'timer' }, ...kinds.map((k, i) => forwardNode(`p${i}`, k))];
  const edges: EdgeSpec[] = [
    { source: 'src', target: 'p0' },
    ...kinds.slice(1).map((_, i) => ({ source: `p${i}`, target: `p${i + 1}` })),
    ...extra.filter(([a, b]) => a < b).map(([a, b]) => ({ source: `p${a}`, target: `p${b}` })),
  ];
  return { nodes, edges };
}

/** A DAG with a back-edge p(j) → p(i), i ≤ j: every node from p(i) to p(j) is on a cycle. */
const withBackEdge = dags.chain((d) =>
  fc.record({ d: fc.constant(d), i: fc.nat(d.kinds.length - 1), j: fc.nat(d.kinds.length - 1) }).map(({ d, i, j }) => ({
    d,
    from: Math.max(i, j),
    to: Math.min(i, j),
  })),
);

describe('cycles, for any wiring', () => {
  test('a DAG of forward nodes compiles, with no cycle error', async () => {
    await fc.assert(
      fc.asyncProperty(dags, async (d) => {
        const { nodes, edges } = dag(d);
        const result = await compile(flow(nodes, edges));
        expect(result.ok ? [] : result.errors).toEqual([]);
      }),
    );
  });

  test('a back-edge between processors is a cycle error on exactly the nodes of the loop', async () => {
    await fc.assert(
      fc.asyncProperty(withBackEdge, async ({ d, from, to }) => {
        const { nodes, edges } = dag(d);
        const result = await compile(flow(nodes, [...edges, { source: `p${from}`, target: `p${to}` }]));
        expect(result.ok).toBe(false);
        const errors = result.ok ? [] : result.errors;
        expect(errors.every((e) => e.code === 'cycle')).toBe(true);
        const expected = Array.from({ length: from - to + 1 }, (_, k) => `p${to + k}`);
        expect(errors.map((e) => e.nodeId).sort()).toEqual(expected.sort());
      }),
    );
  });

  test('the same loop compiles when an actor closes it', async () => {
    await fc.assert(
      fc.asyncProperty(withBackEdge, fc.boolean(), async ({ d, from, to }, atStart) => {
        const { nodes, edges } = dag(d);
        // Every cycle uses the back-edge, so it passes through both of its ends: an actor at either breaks them all.
        const id = `p${atStart ? to : from}`;
        const swapped = nodes.map((n) => (n.id === id ? actor(id) : n));
        const result = await compile(flow(swapped, [...edges, { source: `p${from}`, target: `p${to}` }]));
        expect(result.ok ? [] : result.errors).toEqual([]);
        expect(result.warnings.filter((w) => w.code === 'actor_cycle').map((w) => w.nodeId)).toEqual([id]);
      }),
    );
  });
});
