import { describe, expect, it } from 'vitest';
import type { FlowEdge, FlowNode } from '../../shared/flow.js';
import { conflictsOf, differingWires, mergeFlows, resolveMerge, type MergeSide } from './merge.js';

const node = (id: string, config: Record<string, unknown> = {}, extra: Partial<FlowNode> = {}): FlowNode => ({
  id,
  type: 'filter',
  name: id,
  process: 'main',
  position: { x: 0, y: 0 },
  config,
  ...extra,
});
const wire = (id: string, source: string, target: string): FlowEdge => ({ id, source, sourcePort: 'out', target, targetPort: 'in' });
const side = (nodes: readonly FlowNode[], edges: readonly FlowEdge[] = [], name = 'f'): MergeSide => ({ name, description: '', nodes, edges });

const base = side([node('a', { expression: 'x' }), node('b', { expression: 'y' })], [wire('e1', 'a', 'b')]);

describe('three-way merge of flows', () => {
  it('takes what only one side changed from that side, with no conflict', () => {
    const mine = side([node('a', { expression: 'x2' }), node('b', { expression: 'y' })], base.edges);
    const theirs = side([node('a', { expression: 'x' }), node('b', { expression: 'y3' })], base.edges);
    const merge = mergeFlows(base, mine, theirs);
    expect(conflictsOf(merge)).toEqual([]);
    const merged = resolveMerge(merge);
    expect(merged.nodes.map((n) => n.config.expression)).toEqual(['x2', 'y3']);
  });

  it('reports a node both sides changed differently as a conflict, field by field, and takes the side chosen', () => {
    const mine = side([node('a', { expression: 'mine' }), node('b', { expression: 'y' })], base.edges);
    const theirs = side([node('a', { expression: 'theirs' }, { name: 'renamed' }), node('b', { expression: 'y' })], base.edges);
    const merge = mergeFlows(base, mine, theirs);
    const [conflict] = conflictsOf(merge);
    expect(conflict?.id).toBe('a');
    expect(conflict?.fields).toEqual([
      { path: 'name', base: 'a', mine: 'a', theirs: 'renamed' },
      { path: 'config.expression', base: 'x', mine: 'mine', theirs: 'theirs' },
    ]);
    expect(resolveMerge(merge).nodes[0]?.config.expression).toBe('mine');
    expect(resolveMerge(merge, { nodes: { a: 'theirs' } }).nodes[0]).toMatchObject({ name: 'renamed', config: { expression: 'theirs' } });
  });

  it('keeps a node one side added and drops one the other side deleted, with its wires', () => {
    const mine = side([...base.nodes, node('c')], [...base.edges, wire('e2', 'b', 'c')]);
    const theirs = side([node('b', { expression: 'y' })], []);
    const merged = resolveMerge(mergeFlows(base, mine, theirs));
    expect(merged.nodes.map((n) => n.id)).toEqual(['b', 'c']);
    expect(merged.edges.map((e) => e.id)).toEqual(['e2']);
  });

  it('keeps both nodes two sides added under one id, theirs under a fresh id with its wires', () => {
    const mine = side([...base.nodes, node('n3', { expression: 'mine' })], [...base.edges, wire('e2', 'b', 'n3')]);
    const theirs = side([...base.nodes, node('n3', { expression: 'theirs' })], [...base.edges, wire('e2', 'a', 'n3')]);
    const merged = resolveMerge(mergeFlows(base, mine, theirs));
    expect(merged.nodes.map((n) => `${n.id}=${String(n.config.expression)}`)).toEqual(['a=x', 'b=y', 'n3=mine', 'n3-theirs=theirs']);
    expect(merged.edges.map((e) => `${e.id}:${e.source}→${e.target}`)).toEqual(['e1:a→b', 'e2:b→n3', 'e2-theirs:a→n3-theirs']);
  });

  it('lets the user take either side of a wire the sides hold differently', () => {
    const c = node('c');
    const mine = side([...base.nodes, c], [...base.edges, wire('e2', 'b', 'c')]);
    const theirs = side([...base.nodes, c], []);
    const merge = mergeFlows(base, mine, theirs);
    expect(differingWires(merge).map((w) => w.key)).toEqual(['a:out→b:in', 'b:out→c:in']);
    // Mine added b→c, theirs removed a→b: both happen unless the user says otherwise.
    expect(resolveMerge(merge).edges.map((e) => e.id)).toEqual(['e2']);
    expect(resolveMerge(merge, { wires: { 'a:out→b:in': 'mine', 'b:out→c:in': 'theirs' } }).edges.map((e) => e.id)).toEqual(['e1']);
  });

  it('merges the name like a field: the side that changed it wins, mine on a conflict unless theirs is chosen', () => {
    const merge = mergeFlows(side([], [], 'a'), side([], [], 'a'), side([], [], 'b'));
    expect(resolveMerge(merge).name).toBe('b');
    const both = mergeFlows(side([], [], 'a'), side([], [], 'm'), side([], [], 't'));
    expect(resolveMerge(both).name).toBe('m');
    expect(resolveMerge(both, { name: 'theirs' }).name).toBe('t');
  });

  it('merges the partition key like the name, a side without one counting as none, and keeps none as none', () => {
    const keyed = (partitionKey?: string): MergeSide => ({ ...side([]), ...(partitionKey === undefined ? {} : { partitionKey }) });
    const set = mergeFlows(keyed(), keyed(), keyed('data.site'));
    expect(set.partitionKey).toEqual({ base: '', mine: '', theirs: 'data.site', initial: 'theirs' });
    expect(resolveMerge(set).partitionKey).toBe('data.site');
    expect(resolveMerge(set, { partitionKey: 'mine' })).not.toHaveProperty('partitionKey');
    const removed = mergeFlows(keyed('data.site'), keyed(), keyed('data.site'));
    expect(resolveMerge(removed)).not.toHaveProperty('partitionKey');
    const both = mergeFlows(keyed('source'), keyed('data.site'), keyed('data.room'));
    expect(resolveMerge(both).partitionKey).toBe('data.site');
    expect(resolveMerge(both, { partitionKey: 'theirs' }).partitionKey).toBe('data.room');
  });
});
