/**
 * What changed between two revisions of a flow: nodes added, removed and changed (with the changed fields:
 * name, type, process and every config leaf by path), nodes only moved, wires added and removed, and the flow's own
 * name and partition key. Nodes are matched by id, wires by their ends.
 */
import type { FlowEdge, FlowNode } from '../../shared/flow.js';

export interface FieldChange {
  /** `name`, `type`, `process` or `config.<path>`. */
  path: string;
  before: unknown;
  after: unknown;
}

export interface NodeChange {
  id: string;
  fields: FieldChange[];
}

export interface FlowDiff {
  addedNodes: string[];
  removedNodes: string[];
  changedNodes: NodeChange[];
  movedNodes: string[];
  addedEdges: FlowEdge[];
  removedEdges: FlowEdge[];
  renamed: { before: string; after: string } | null;
  /** The partition key set, changed or removed (null on a side without one); null when it is the same. */
  partitionKey: { before: string | null; after: string | null } | null;
}

interface Side {
  name: string;
  partitionKey?: string | undefined;
  nodes: readonly FlowNode[];
  edges: readonly FlowEdge[];
}

export const edgeKey = (e: Pick<FlowEdge, 'source' | 'sourcePort' | 'target' | 'targetPort'>) => `${e.source}:${e.sourcePort}→${e.target}:${e.targetPort}`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf differences between two JSON values, by dotted path (arrays by index). */
export function valueChanges(before: unknown, after: unknown, prefix: string): FieldChange[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => valueChanges(before[k], after[k], prefix ? `${prefix}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) => valueChanges(before[i], after[i], `${prefix}.${i}`)).flat();
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: prefix, before, after }];
}

export function diffFlows(before: Side, after: Side): FlowDiff {
  const old = new Map(before.nodes.map((n) => [n.id, n]));
  const now = new Map(after.nodes.map((n) => [n.id, n]));
  const changedNodes: NodeChange[] = [];
  const movedNodes: string[] = [];
  for (const node of after.nodes) {
    const was = old.get(node.id);
    if (!was) continue;
    const fields = [
      ...(['name', 'type', 'process'] as const).flatMap((k) => (was[k] === node[k] ? [] : [{ path: k, before: was[k], after: node[k] }])),
      ...valueChanges(was.config, node.config, 'config'),
    ];
    if (fields.length > 0) changedNodes.push({ id: node.id, fields });
    else if (was.position.x !== node.position.x || was.position.y !== node.position.y) movedNodes.push(node.id);
  }
  const oldEdges = new Set(before.edges.map(edgeKey));
  const newEdges = new Set(after.edges.map(edgeKey));
  return {
    addedNodes: after.nodes.filter((n) => !old.has(n.id)).map((n) => n.id),
    removedNodes: before.nodes.filter((n) => !now.has(n.id)).map((n) => n.id),
    changedNodes,
    movedNodes,
    addedEdges: after.edges.filter((e) => !oldEdges.has(edgeKey(e))),
    removedEdges: before.edges.filter((e) => !newEdges.has(edgeKey(e))),
    renamed: before.name === after.name ? null : { before: before.name, after: after.name },
    partitionKey: (before.partitionKey ?? null) === (after.partitionKey ?? null) ? null : { before: before.partitionKey ?? null, after: after.partitionKey ?? null },
  };
}

export const isEmptyDiff = (d: FlowDiff) =>
  d.addedNodes.length + d.removedNodes.length + d.changedNodes.length + d.addedEdges.length + d.removedEdges.length === 0 && !d.renamed && !d.partitionKey;
