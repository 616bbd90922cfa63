/**
 * The compiled form of a flow that the runtime runs: nodes with parsed configs and the wires between ports.
 */
import type { Behaviour, NodeKind } from '../../shared/nodes/index.js';
import type { IndexedEdge } from './edges.js';
import type { CheckedNode } from './nodes.js';

/** How many hops a correlation chain may take before the runtime stops it (cycles through actors). */
export const DEFAULT_HOP_LIMIT = 64;

export interface CompiledNode {
  id: string;
  type: string;
  kind: NodeKind;
  behaviour: Behaviour;
  name: string;
  /** The runtime process the node runs on (its vector-clock entry). */
  process: string;
  /** Parsed by the node type's zod schema, defaults filled in. */
  config: Record<string, unknown>;
  inputs: string[];
  outputs: string[];
}

export interface Wire {
  edgeId: string;
  target: string;
  targetPort: string;
}

/**
 * A subflow instance of the flow as drawn, by what it expanded into (subflows.ts): the runtime sums these nodes'
 * counters into the instance's own.
 */
export interface SubflowInstance {
  /** Every node it expanded into. */
  nodes: string[];
  /** The nodes its input port feeds (wired from the subflow's `subflow-in`). */
  entries: string[];
  /** The nodes that feed its output ports (wired into a `subflow-out`). */
  exits: string[];
}

export interface RuntimeGraph {
  flowId: string | null;
  revision: number | null;
  /**
   * The flow's partition key (JSONata over the event that starts a chain), or null: partitioned by the first actor's
   * key, else the event's process (runtime/partitions.ts).
   */
  partitionKey: string | null;
  /** Every node, in document order. */
  nodes: Map<string, CompiledNode>;
  /** Ids of the source nodes, in document order. */
  sources: string[];
  /**
   * Outgoing wires per node and output port (every output port present, possibly with no wires), targets ordered
   * by handler priority (function nodes' `config.priority`, higher first; others 0; ties by edge order).
   */
  outgoing: Map<string, Map<string, Wire[]>>;
  /** Incoming wire count per node (every node present). */
  incoming: Map<string, number>;
  /** Hops a correlation chain may take before the runtime stops it: guards cycles through actors. */
  hopLimit: number;
  /** The flow's own subflow instances, by instance id (empty when it has none). */
  instances: ReadonlyMap<string, SubflowInstance>;
}

export interface GraphParts {
  flowId: string | null;
  revision: number | null;
  partitionKey?: string | null;
  /** Checked nodes with a parsed config, in document order, ids unique. */
  nodes: readonly CheckedNode[];
  /** Wires between existing ports, each once, in edge order. */
  wires: readonly IndexedEdge[];
  hopLimit: number;
  instances?: ReadonlyMap<string, SubflowInstance>;
}

/** Builds the graph from parts that passed every check. */
export function buildGraph(parts: GraphParts): RuntimeGraph {
  const nodes = new Map<string, CompiledNode>();
  const outgoing = new Map<string, Map<string, Wire[]>>();
  const incoming = new Map<string, number>();
  for (const checked of parts.nodes) {
    const node = compiledNode(checked);
    nodes.set(node.id, node);
    outgoing.set(node.id, new Map(node.outputs.map((port) => [port, []])));
    incoming.set(node.id, 0);
  }
  for (const { edge } of parts.wires) {
    outgoing.get(edge.source)?.get(edge.sourcePort)?.push({ edgeId: edge.id, target: edge.target, targetPort: edge.targetPort });
    incoming.set(edge.target, (incoming.get(edge.target) ?? 0) + 1);
  }
  const priority = (wire: Wire) => priorityOf(nodes.get(wire.target));
  for (const ports of outgoing.values()) {
    for (const wires of ports.values()) wires.sort((a, b) => priority(b) - priority(a)); // stable: ties keep edge order
  }
  return {
    flowId: parts.flowId,
    revision: parts.revision,
    partitionKey: parts.partitionKey ?? null,
    nodes,
    sources: [...nodes.values()].filter((n) => n.kind === 'source').map((n) => n.id),
    outgoing,
    incoming,
    hopLimit: parts.hopLimit,
    instances: parts.instances ?? new Map(),
  };
}

function compiledNode({ node, definition, config }: CheckedNode): CompiledNode {
  if (definition === undefined || config === undefined) throw new Error(`node ${node.id} did not pass its checks`);
  return {
    id: node.id,
    type: node.type,
    kind: definition.kind,
    behaviour: definition.behaviour,
    name: node.name,
    process: node.process,
    config,
    inputs: [...definition.inputs],
    outputs: definition.outputs(config),
  };
}

/** A handler's priority on a shared input (only function nodes have one today); 0 otherwise. */
export const priorityOf = (node: CompiledNode | undefined): number =>
  typeof node?.config.priority === 'number' ? node.config.priority : 0;
