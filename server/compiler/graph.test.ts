import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cycleThrough, isCyclic, reachableFrom, stronglyConnectedComponents, type Successors } from './graph.js';

const successorsOf = (edges: [string, string][]): Successors => {
  const out = new Map<string, string[]>();
  for (const [a, b] of edges) out.set(a, [...(out.get(a) ?? []), b]);
  return (id) => out.get(id) ?? [];
};

const sorted = (components: string[][]) => components.map((c) => [...c].sort()).sort((a, b) => a.join().localeCompare(b.join()));

describe('strongly connected components', () => {
  test('groups nodes that reach each other and leaves the rest alone', () => {
    const next = successorsOf([['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd'], ['d', 'e'], ['e', 'd'], ['f', 'f']]);
    expect(sorted(stronglyConnectedComponents(['a', 'b', 'c', 'd', 'e', 'f', 'g'], next))).toEqual([['a', 'b', 'c'], ['d', 'e'], ['f'], ['g']]);
  });

  test('only components with more than one node, or a node wired to itself, are cycles', () => {
    const next = successorsOf([['a', 'b'], ['b', 'a'], ['s', 's']]);
    expect(isCyclic(['a', 'b'], next)).toBe(true);
    expect(isCyclic(['s'], next)).toBe(true);
    expect(isCyclic(['z'], next)).toBe(false);
  });

  test('handles a chain far longer than the call stack', () => {
    const ids = Array.from({ length: 200_000 }, (_, i) => `n${i}`);
    const next: Successors = (id) => {
      const i = Number(id.slice(1));
      return i + 1 < ids.length ? [`n${i + 1}`] : ['n0'];
    };
    const components = stronglyConnectedComponents(ids, next);
    expect(components).toHaveLength(1);
    expect(components[0]).toHaveLength(ids.length);
  });

  test('agree with mutual reachability on any graph', () => {
    const graphs = fc.integer({ min: 1, max: 10 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 25 }),
      }),
    );
    fc.assert(
      fc.property(graphs, ({ n, edges }) => {
        const ids = Array.from({ length: n }, (_, i) => `v${i}`);
        const next = successorsOf(edges.map(([a, b]) => [`v${a}`, `v${b}`]));
        const reach = new Map(ids.map((id) => [id, reachableFrom([id], next)]));
        const expected = new Map<string, string[]>();
        for (const id of ids) {
          const key = ids.filter((other) => reach.get(id)!.has(other) && reach.get(other)!.has(id)).join();
          expected.set(key, [...(expected.get(key) ?? []), id]);
        }
        expect(sorted(stronglyConnectedComponents(ids, next))).toEqual(sorted([...expected.values()]));
      }),
    );
  });
});

describe('reachability', () => {
  test('reaches everything downstream of the starts, the starts included', () => {
    const next = successorsOf([['a', 'b'], ['b', 'c'], ['x', 'a']]);
    expect([...reachableFrom(['a'], next)].sort()).toEqual(['a', 'b', 'c']);
    expect([...reachableFrom([], next)]).toEqual([]);
  });
});

describe('a cycle through a node', () => {
  test('is a shortest one, starting and ending at the node', () => {
    const next = successorsOf([['a', 'b'], ['b', 'c'], ['c', 'a'], ['b', 'a']]);
    expect(cycleThrough('a', new Set(['a', 'b', 'c']), next)).toEqual(['a', 'b', 'a']);
    expect(cycleThrough('c', new Set(['a', 'b', 'c']), next)).toEqual(['c', 'a', 'b', 'c']);
  });

  test('of a node wired to itself is the node twice', () => {
    expect(cycleThrough('s', new Set(['s']), successorsOf([['s', 's']]))).toEqual(['s', 's']);
  });

  test('stays inside the given nodes, and is null when there is none', () => {
    const next = successorsOf([['a', 'b'], ['b', 'a']]);
    expect(cycleThrough('a', new Set(['a']), next)).toBeNull();
  });
});
