/**
 * One picture of a diff: the newer flow's nodes and wires plus the removed ones, each marked added, removed or
 * changed, for the read-only canvas.
 */
import type { FlowEdge, FlowNode } from '../../shared/flow.js';
import type { Decoration } from '../canvas/FlowNodeCard.js';
import { edgeKey, type FlowDiff } from './flow-diff.js';

export interface DiffOverlay {
  nodes: FlowNode[];
  edges: FlowEdge[];
  nodeMarks: Map<string, Decoration>;
  edgeMarks: Map<string, Decoration>;
}

export function diffOverlay(before: { nodes: readonly FlowNode[] }, after: { nodes: readonly FlowNode[]; edges: readonly FlowEdge[] }, diff: FlowDiff): DiffOverlay {
  const nodeMarks = new Map<string, Decoration>();
  for (const id of diff.addedNodes) nodeMarks.set(id, 'added');
  for (const c of diff.changedNodes) nodeMarks.set(c.id, 'changed');
  for (const id of diff.removedNodes) nodeMarks.set(id, 'removed');
  const removed = before.nodes.filter((n) => diff.removedNodes.includes(n.id));
  const added = new Set(diff.addedEdges.map(edgeKey));
  const edgeMarks = new Map<string, Decoration>();
  for (const e of after.edges) if (added.has(edgeKey(e))) edgeMarks.set(e.id, 'added');
  const removedEdges = diff.removedEdges.map((e) => ({ ...e, id: `removed:${e.id}` }));
  for (const e of removedEdges) edgeMarks.set(e.id, 'removed');
  return { nodes: [...after.nodes, ...removed], edges: [...after.edges, ...removedEdges], nodeMarks, edgeMarks };
}
