/**
 * The laws of the three-way merge over random revisions: identical sides merge to that side; taking every choice
 * from "mine" gives mine; under any choices no node is lost or duplicated, and every wire joins kept nodes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlowEdge, FlowNode } from '../../shared/flow.js';
import { mergeFlows, resolveMerge, type MergeSide } from './merge.js';

const ids = ['a', 'b', 'c', 'd', 'e', 'f'];

const nodeArb = (id: string) =>
  fc.record({ expression: fc.constantFrom('x', 'y', 'z'), x: fc.integer({ min: 0, max: 2 }) }).map(
    ({ expression, x }): FlowNode => ({ id, type: 'filter', name: id, process: 'main', position: { x, y: 0 }, config: { expression } }),
  );

/** A revision: some of the ids, each with a random config, and wires between distinct present nodes (one per pair). */
const sideArb: fc.Arbitrary<MergeSide> = fc
  .subarray(ids)
  .chain((present) =>
    fc.record({
      nodes: fc.tuple(...present.map(nodeArb)),
      pairs: fc.uniqueArray(fc.tuple(fc.constantFrom(...ids), fc.constantFrom(...ids)), { maxLength: 8, selector: ([s, t]) => `${s}${t}` }),
      name: fc.constantFrom('p', 'q'),
      partitionKey: fc.constantFrom(undefined, 'data.site', 'source'),
    }),
  )
  .map(({ nodes, pairs, name, partitionKey }) => {
    const present = new Set(nodes.map((n) => n.id));
    const edges: FlowEdge[] = pairs
      .filter(([s, t]) => s !== t && present.has(s) && present.has(t))
      .map(([s, t]) => ({ id: `e-${s}${t}`, source: s, sourcePort: 'out', target: t, targetPort: 'in' }));
    return { name, description: '', ...(partitionKey === undefined ? {} : { partitionKey }), nodes, edges };
  });

const choicesArb = fc.record({
  nodes: fc.dictionary(fc.constantFrom(...ids, ...ids.map((i) => `${i}-theirs`)), fc.constantFrom('mine' as const, 'theirs' as const)),
  wires: fc.dictionary(fc.string({ maxLength: 12 }), fc.constantFrom('mine' as const, 'theirs' as const)),
});

const keyOf = (e: FlowEdge) => `${e.source}→${e.target}`;
const sorted = (s: MergeSide) => ({ name: s.name, partitionKey: s.partitionKey, nodes: [...s.nodes].sort((a, b) => a.id.localeCompare(b.id)), edges: s.edges.map(keyOf).sort() });

describe('three-way merge laws', () => {
  it('merging identical sides gives that side', () => {
    fc.assert(
      fc.property(sideArb, sideArb, (base, side) => {
        expect(sorted(resolveMerge(mergeFlows(base, side, side)))).toEqual(sorted(side));
      }),
    );
  });

  it('taking every node and wire from "mine" gives mine', () => {
    fc.assert(
      fc.property(sideArb, sideArb, sideArb, (base, mine, theirs) => {
        const merge = mergeFlows(base, mine, theirs);
        const all = {
          nodes: Object.fromEntries(merge.nodes.map((n) => [n.id, 'mine' as const])),
          wires: Object.fromEntries(merge.wires.map((w) => [w.key, 'mine' as const])),
          name: 'mine' as const,
          partitionKey: 'mine' as const,
        };
        expect(sorted(resolveMerge(merge, all))).toEqual(sorted(mine));
      }),
    );
  });

  it('loses and duplicates no node under any choices, and keeps no wire to a missing node', () => {
    fc.assert(
      fc.property(sideArb, sideArb, sideArb, choicesArb, (base, mine, theirs, choices) => {
        const merge = mergeFlows(base, mine, theirs);
        const merged = resolveMerge(merge, choices);
        const got = merged.nodes.map((n) => n.id);
        expect(new Set(got).size).toBe(got.length);
        // Every node of either side has its entry: mine by id, theirs by id or, added under an id mine added too, renamed.
        expect(merge.nodes.filter((n) => n.mine).map((n) => n.id).sort()).toEqual(mine.nodes.map((n) => n.id).sort());
        expect(merge.nodes.filter((n) => n.theirs).length).toBe(theirs.nodes.length);
        // A node both sides hold is there once, whichever side is taken; one side's node is there iff that side is.
        for (const entry of merge.nodes) {
          const side = choices.nodes[entry.id] ?? entry.initial;
          const expected = entry.mine && entry.theirs ? true : side === 'mine' ? entry.mine !== null : entry.theirs !== null;
          expect(got.includes(entry.id)).toBe(expected);
        }
        const present = new Set(got);
        for (const e of merged.edges) expect(present.has(e.source) && present.has(e.target)).toBe(true);
        const edgeIds = merged.edges.map((e) => e.id);
        expect(new Set(edgeIds).size).toBe(edgeIds.length);
      }),
    );
  });
});
