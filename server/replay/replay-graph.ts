/**
 * A compiled flow made safe to replay: sources produce nothing of their own (their stored events are fed in
 * instead), and in dry-run mode the sinks with side effects (mqtt-publish, http-request) only record what they
 * would have sent. Pure.
 */
import type { StoredEvent } from '../../shared/event.js';
import type { CompiledNode, RuntimeGraph } from '../compiler/compile.js';
import { requestFor } from '../runtime/nodes/http-request.js';
import { toCloudEvent, type RecordedEffect } from '../runtime/nodes/http-request-envelope.js';

export type ReplayMode = 'dry-run' | 'live';

/** Sinks that reach outside Causeway. */
export const SIDE_EFFECT_SINKS = new Set(['mqtt-publish', 'http-request']);

/** Sources that would start producing (timers, devices, subscriptions): replaced by a node that only routes. */
const PRODUCING_SOURCES = new Set(['timer', 'simulator', 'mqtt']);

export interface ReplayGraph {
  graph: RuntimeGraph;
  /** Recording sinks by node id, with their original type and config. */
  recorders: Map<string, CompiledNode>;
}

export function replayGraph(graph: RuntimeGraph, mode: ReplayMode): ReplayGraph {
  const nodes = new Map<string, CompiledNode>();
  const recorders = new Map<string, CompiledNode>();
  for (const [id, node] of graph.nodes) {
    if (PRODUCING_SOURCES.has(node.type)) {
      nodes.set(id, { ...node, type: 'http', config: { types: [] } });
    } else if (mode === 'dry-run' && SIDE_EFFECT_SINKS.has(node.type)) {
      recorders.set(id, node);
      nodes.set(id, { ...node, type: 'debug', config: { active: true } });
    } else {
      nodes.set(id, node);
    }
  }
  return { graph: { ...graph, nodes }, recorders };
}

/** What a recording sink would have sent for an event. */
export function effectFor(node: CompiledNode, event: StoredEvent): RecordedEffect {
  const config = node.config as Record<string, unknown>;
  if (node.type === 'mqtt-publish') {
    return {
      kind: 'mqtt-publish',
      nodeId: node.id,
      eventId: event.id,
      url: String(config.url),
      topic: String(config.topic),
      qos: (config.qos as 0 | 1 | 2 | undefined) ?? 1,
      retain: config.retain === true,
      payload: JSON.stringify(toCloudEvent(event)),
      userProperties: {},
    };
  }
  const request = requestFor(event, {
    url: String(config.url),
    method: typeof config.method === 'string' ? config.method : 'POST',
    headers: (config.headers as Record<string, string> | undefined) ?? {},
    timeoutMs: typeof config.timeoutMs === 'number' ? config.timeoutMs : 5000,
  });
  return { kind: 'http-request', nodeId: node.id, eventId: event.id, url: request.url, method: request.method, headers: request.headers, body: request.body };
}
