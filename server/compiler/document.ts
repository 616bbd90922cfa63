/**
 * Reads the flow document. A document that fails the schema is reported issue by issue, and whatever nodes
 * and edges still read on their own are kept, so the other checks can report their problems too. A document
 * nested deeper than MAX_FLOW_DEPTH is refused first, as a whole: the schema, the compiler's walks and
 * JSON.stringify all recurse, and a few thousand levels overflow the stack.
 */
import { FlowEdgeSchema, FlowInputSchema, FlowNodeSchema, type FlowEdge, type FlowNode } from '../../shared/flow.js';
import { dotted, type Report } from './errors.js';
import { readableErrors } from './zod-issues.js';

/** An item of the document with its index there (problems name `nodes.<index>`, `edges.<index>`). */
export interface Indexed<T> {
  index: number;
  item: T;
}

export interface FlowDocument {
  id: string | null;
  revision: number | null;
  /** The flow's partition key as written (checked by partition-key.ts); null when the flow has none. */
  partitionKey: string | null;
  nodes: Indexed<FlowNode>[];
  edges: Indexed<FlowEdge>[];
  /**
   * Whether every node of the document was read. When not, an edge may name a node that exists but did not
   * read, and the flow-wide checks (a source exists, everything is reachable) cannot be trusted.
   */
  complete: boolean;
  /** Ids of nodes that are in the document but did not read (edges to them are not "missing"). */
  unread: ReadonlySet<string>;
}

/**
 * How deep a flow document may nest: objects and arrays, the document itself being the first level. The bound
 * of event data (`processing.maxDataDepth`, 64 by default), so a timer's data fits in the events it makes.
 */
export const MAX_FLOW_DEPTH = 64;

export interface DepthProblem {
  /** The node whose config is too deep, when it is one. */
  nodeId: string | null;
  /** Dotted path of the first object or array past the bound (cut after a few levels: it is long by nature). */
  path: string;
  message: string;
}

/** Levels (and characters) of a too-deep path that a message names; the rest is shown as `…`. */
const PATH_SHOWN = 8;
const PATH_CHARS = 200;

/**
 * Where a JSON value first nests past `max` levels, or null when it does not. Iterative, so it is safe on any
 * value JSON.parse returned, however deep.
 */
export function depthProblem(value: unknown, max = MAX_FLOW_DEPTH): DepthProblem | null {
  interface Step {
    value: unknown;
    depth: number;
    key: string | number | null;
    parent: Step | null;
  }
  const stack: Step[] = [{ value, depth: 1, key: null, parent: null }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    const v = step.value;
    if (typeof v !== 'object' || v === null) continue;
    if (step.depth > max) return problemAt(value, pathOf(step), max);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth: step.depth + 1, key: i, parent: step });
    } else {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) stack.push({ value: (v as Record<string, unknown>)[keys[i]!], depth: step.depth + 1, key: keys[i]!, parent: step });
    }
  }
  return null;

  function pathOf(step: Step): (string | number)[] {
    const path: (string | number)[] = [];
    for (let s: Step | null = step; s !== null && s.key !== null; s = s.parent) path.push(s.key);
    return path.reverse();
  }
}

function problemAt(input: unknown, path: (string | number)[], max: number): DepthProblem {
  const full = dotted(path.slice(0, PATH_SHOWN));
  const shown = full.length > PATH_CHARS ? `${full.slice(0, PATH_CHARS)}…` : path.length > PATH_SHOWN ? `${full}…` : full;
  return {
    nodeId: idAt(input, 'nodes', path),
    path: shown,
    message: `${shown}: nests deeper than ${max} levels (a flow document may nest at most ${max})`,
  };
}

export function readDocument(input: unknown, report: Report): FlowDocument {
  const tooDeep = depthProblem(input);
  if (tooDeep) {
    report.error('invalid_flow', tooDeep);
    return { id: null, revision: null, partitionKey: null, nodes: [], edges: [], complete: false, unread: new Set() };
  }
  const parsed = FlowInputSchema.safeParse(input, readableErrors);
  if (parsed.success) {
    const flow = parsed.data;
    return {
      id: flow.id ?? null,
      revision: flow.revision ?? null,
      partitionKey: flow.partitionKey ?? null,
      nodes: flow.nodes.map(indexed),
      edges: flow.edges.map(indexed),
      complete: true,
      unread: new Set(),
    };
  }
  for (const issue of parsed.error.issues) {
    const path = dotted(issue.path);
    report.error('invalid_flow', {
      nodeId: idAt(input, 'nodes', issue.path),
      ...edgeIdOf(input, issue.path),
      path,
      message: `${path === '' ? 'the flow' : path}: ${issue.message}`,
    });
  }
  return salvage(input);
}

function salvage(input: unknown): FlowDocument {
  const doc = isRecord(input) ? input : {};
  const rawNodes = Array.isArray(doc.nodes) ? (doc.nodes as unknown[]) : [];
  const rawEdges = Array.isArray(doc.edges) ? (doc.edges as unknown[]) : [];
  const nodes: Indexed<FlowNode>[] = [];
  const unread = new Set<string>();
  rawNodes.forEach((raw, index) => {
    const node = FlowNodeSchema.safeParse(raw);
    if (node.success) nodes.push({ index, item: node.data });
    else if (isRecord(raw) && typeof raw.id === 'string') unread.add(raw.id);
  });
  const edges: Indexed<FlowEdge>[] = [];
  rawEdges.forEach((raw, index) => {
    const edge = FlowEdgeSchema.safeParse(raw);
    if (edge.success) edges.push({ index, item: edge.data });
  });
  const nodesReadable = doc.nodes === undefined || Array.isArray(doc.nodes);
  return {
    id: null, // a document that does not read never becomes a graph
    revision: null,
    partitionKey: null,
    nodes,
    edges,
    complete: isRecord(input) && nodesReadable && nodes.length === rawNodes.length,
    unread,
  };
}

const indexed = <T>(item: T, index: number): Indexed<T> => ({ index, item });

/** The id of the node or edge an issue path points into (`nodes.2.config` → the id of node 2). */
function idAt(input: unknown, list: 'nodes' | 'edges', path: readonly PropertyKey[]): string | null {
  if (!isRecord(input) || path[0] !== list || typeof path[1] !== 'number') return null;
  const items = input[list];
  const item = Array.isArray(items) ? (items[path[1]] as unknown) : undefined;
  return isRecord(item) && typeof item.id === 'string' ? item.id : null;
}

function edgeIdOf(input: unknown, path: readonly PropertyKey[]): { edgeId?: string } {
  const id = idAt(input, 'edges', path);
  return id === null ? {} : { edgeId: id };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
