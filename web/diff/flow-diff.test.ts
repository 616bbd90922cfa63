import { describe, expect, it } from 'vitest';
import type { FlowEdge, FlowNode } from '../../shared/flow.js';
import { diffFlows, isEmptyDiff } from './flow-diff.js';
import { diffOverlay } from './overlay.js';

const node = (id: string, type: string, config: Record<string, unknown> = {}, x = 0): FlowNode => ({ id, type, name: id, process: 'main', position: { x, y: 0 }, config });
const edge = (id: string, source: string, target: string): FlowEdge => ({ id, source, sourcePort: 'out', target, targetPort: 'in' });

const before = {
  name: 'alerts',
  nodes: [node('sim', 'simulator', { devices: 4 }), node('hot', 'filter', { expression: 'data.t > 8' }), node('log', 'debug')],
  edges: [edge('e1', 'sim', 'hot'), edge('e2', 'hot', 'log')],
};

describe('flow diff', () => {
  it('finds nothing between a flow and itself', () => {
    expect(isEmptyDiff(diffFlows(before, before))).toBe(true);
  });

  it('lists added and removed nodes and wires', () => {
    const after = {
      name: 'alerts',
      nodes: [before.nodes[0]!, before.nodes[1]!, node('keep', 'store', { stream: 'alerts' })],
      edges: [before.edges[0]!, edge('e9', 'hot', 'keep')],
    };
    const diff = diffFlows(before, after);
    expect(diff.addedNodes).toEqual(['keep']);
    expect(diff.removedNodes).toEqual(['log']);
    expect(diff.addedEdges.map((e) => e.id)).toEqual(['e9']);
    expect(diff.removedEdges.map((e) => e.id)).toEqual(['e2']);
  });

  it('lists each changed config field with its old and new value', () => {
    const after = { ...before, nodes: [node('sim', 'simulator', { devices: 8 }), node('hot', 'filter', { expression: 'data.t > 10' }), before.nodes[2]!] };
    const diff = diffFlows(before, after);
    expect(diff.changedNodes).toEqual([
      { id: 'sim', fields: [{ path: 'config.devices', before: 4, after: 8 }] },
      { id: 'hot', fields: [{ path: 'config.expression', before: 'data.t > 8', after: 'data.t > 10' }] },
    ]);
  });

  it('reports nested and list config changes by path, and a rename', () => {
    const a = { name: 'a', nodes: [node('r', 'router', { rules: [{ port: 'hot', expression: 'x' }], model: { base: 1 } })], edges: [] };
    const b = { name: 'b', nodes: [node('r', 'router', { rules: [{ port: 'cold', expression: 'x' }], model: { base: 2 } })], edges: [] };
    const diff = diffFlows(a, b);
    expect(diff.changedNodes[0]?.fields.map((f) => f.path)).toEqual(['config.model.base', 'config.rules.0.port']);
    expect(diff.renamed).toEqual({ before: 'a', after: 'b' });
  });

  it('reports the partition key set, changed or removed, and nothing when it stays', () => {
    const none = { name: 'a', nodes: [], edges: [] };
    expect(diffFlows(none, { ...none, partitionKey: 'data.site' }).partitionKey).toEqual({ before: null, after: 'data.site' });
    expect(diffFlows({ ...none, partitionKey: 'data.site' }, { ...none, partitionKey: 'source' }).partitionKey).toEqual({ before: 'data.site', after: 'source' });
    expect(diffFlows({ ...none, partitionKey: 'data.site' }, none).partitionKey).toEqual({ before: 'data.site', after: null });
    expect(isEmptyDiff(diffFlows({ ...none, partitionKey: 'data.site' }, none))).toBe(false);
    expect(diffFlows({ ...none, partitionKey: 'data.site' }, { ...none, partitionKey: 'data.site' }).partitionKey).toBeNull();
  });

  it('tells a node that only moved apart from a changed one', () => {
    const after = { ...before, nodes: [node('sim', 'simulator', { devices: 4 }, 300), before.nodes[1]!, before.nodes[2]!] };
    const diff = diffFlows(before, after);
    expect(diff.changedNodes).toEqual([]);
    expect(diff.movedNodes).toEqual(['sim']);
  });

  it('matches wires by their ends, not their ids', () => {
    const after = { ...before, edges: [{ ...before.edges[0]!, id: 'x1' }, { ...before.edges[1]!, id: 'x2' }] };
    expect(isEmptyDiff(diffFlows(before, after))).toBe(true);
  });

  it('draws removed nodes and wires beside the new flow, each marked', () => {
    const after = { name: 'alerts', nodes: [before.nodes[0]!, node('hot', 'filter', { expression: 'true' }), node('keep', 'store')], edges: [before.edges[0]!, edge('e3', 'hot', 'keep')] };
    const overlay = diffOverlay(before, after, diffFlows(before, after));
    expect(overlay.nodes.map((n) => n.id).sort()).toEqual(['hot', 'keep', 'log', 'sim']);
    expect(Object.fromEntries(overlay.nodeMarks)).toEqual({ keep: 'added', hot: 'changed', log: 'removed' });
    expect(overlay.edgeMarks.get('e3')).toBe('added');
    expect(overlay.edgeMarks.get('removed:e2')).toBe('removed');
  });
});
