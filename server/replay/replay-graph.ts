/**
 * A compiled flow made safe to replay: sources produce nothing of their own — their stored events are fed in
 * instead — so they become nodes that only route. (Sinks with side effects stay: in dry-run the runtime gives them
 * `recordEffect` and they record instead of acting.) Pure.
 */
import type { CompiledNode, RuntimeGraph } from '../compiler/compile.js';

export type ReplayMode = 'dry-run' | 'live';

/** Sources that would start producing (timers, devices, subscriptions): replaced by a node that only routes. */
const PRODUCING_SOURCES = new Set(['timer', 'simulator', 'mqtt']);

export function replayGraph(graph: RuntimeGraph): RuntimeGraph {
  const nodes = new Map<string, CompiledNode>();
  for (const [id, node] of graph.nodes) {
    nodes.set(id, PRODUCING_SOURCES.has(node.type) ? { ...node, type: 'http', config: { types: [] } } : node);
  }
  return { ...graph, nodes };
}
