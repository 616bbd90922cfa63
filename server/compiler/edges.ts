/**
 * Edge checks: unique ids, both ends exist, the ports exist on the nodes, no edge drawn twice.
 */
import type { FlowEdge } from '../../shared/flow.js';
import type { Indexed } from './document.js';
import { quote, type Report } from './errors.js';
import type { CheckedNode } from './nodes.js';

export interface IndexedEdge {
  index: number;
  edge: FlowEdge;
}

export interface CheckedEdges {
  /**
   * Edges whose two nodes exist and whose ports are not known to be wrong (a node of unknown type has ports
   * that cannot be known): the shape the user drew, for cycles and reachability.
   */
  linked: IndexedEdge[];
  /** Edges that join existing ports, each drawn once: the wires of the runtime graph. */
  wires: IndexedEdge[];
}

export function checkEdges(
  edges: readonly Indexed<FlowEdge>[],
  nodes: ReadonlyMap<string, CheckedNode>,
  unread: ReadonlySet<string>,
  report: Report,
): CheckedEdges {
  const linked: IndexedEdge[] = [];
  const wires: IndexedEdge[] = [];
  const ids = new Map<string, number>();
  const drawn = new Map<string, number>();

  for (const { item: edge, index } of edges) {
    const first = ids.get(edge.id);
    if (first === undefined) ids.set(edge.id, index);
    else {
      report.error('duplicate_edge_id', {
        nodeId: null,
        edgeId: edge.id,
        path: `edges.${index}.id`,
        message: `edge id ${quote(edge.id)} is used by edges ${first} and ${index}; edge ids must be unique`,
      });
    }

    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    checkEnd(edge, index, 'source', source, target, unread, report);
    checkEnd(edge, index, 'target', target, source, unread, report);
    const sourcePort = source === undefined ? 'unknown' : checkPort(edge, index, 'source', source, report);
    const targetPort = target === undefined ? 'unknown' : checkPort(edge, index, 'target', target, report);
    if (source === undefined || target === undefined || sourcePort === 'wrong' || targetPort === 'wrong') continue;
    linked.push({ index, edge });
    if (sourcePort === 'unknown' || targetPort === 'unknown') continue;

    const key = JSON.stringify([edge.source, edge.sourcePort, edge.target, edge.targetPort]);
    const same = drawn.get(key);
    if (same !== undefined) {
      report.warning('duplicate_edge', {
        nodeId: edge.source,
        edgeId: edge.id,
        path: `edges.${index}`,
        message: `edge ${quote(edge.id)} repeats edge ${same} (${describe(edge)}); it is ignored, events go once`,
      });
      continue;
    }
    drawn.set(key, index);
    wires.push({ index, edge });
  }
  return { linked, wires };
}

function checkEnd(
  edge: FlowEdge,
  index: number,
  end: 'source' | 'target',
  node: CheckedNode | undefined,
  other: CheckedNode | undefined,
  unread: ReadonlySet<string>,
  report: Report,
): void {
  const id = edge[end];
  if (node !== undefined || unread.has(id)) return;
  report.error('missing_node', {
    // The missing node cannot be marked: mark the end that exists.
    nodeId: other?.node.id ?? null,
    edgeId: edge.id,
    path: `edges.${index}.${end}`,
    message: `edge ${quote(edge.id)} ${end === 'source' ? 'comes from' : 'goes to'} node ${quote(id)}, which is not in the flow`,
  });
}

/** Whether the port exists; `unknown` for a node whose ports cannot be known (unknown type, unreadable rules). */
function checkPort(edge: FlowEdge, index: number, end: 'source' | 'target', node: CheckedNode, report: Report): 'ok' | 'wrong' | 'unknown' {
  const ports = end === 'source' ? node.outputs : node.inputs;
  if (ports === undefined) return 'unknown';
  const port = end === 'source' ? edge.sourcePort : edge.targetPort;
  if (ports.includes(port)) return 'ok';
  const { id, type } = node.node;
  const direction = end === 'source' ? 'output' : 'input';
  const why =
    ports.length === 0
      ? `a ${node.definition?.kind ?? type} has no ${direction}s`
      : `its ${direction}s are ${ports.map(quote).join(', ')}`;
  report.error('unknown_port', {
    nodeId: id,
    edgeId: edge.id,
    path: `edges.${index}.${end}Port`,
    message: `edge ${quote(edge.id)}: node ${quote(id)} (${type}) has no ${direction} port ${quote(port)}; ${why}`,
  });
  return 'wrong';
}

const describe = (e: FlowEdge) => `${e.source}:${e.sourcePort} → ${e.target}:${e.targetPort}`;
