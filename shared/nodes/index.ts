/** Every node type, defined once: config schema, ports, palette. */
import type { NodeKind, NodeTypeDefinition } from './define.js';
import { actorNode, functionNode } from './handlers.js';
import { batchNode, dedupeNode, filterNode, routerNode, throttleNode, transformNode } from './processors.js';
import { debugSink, httpRequestSink, mqttPublishSink, storeSink } from './sinks.js';
import { httpSource, mqttSource, simulatorSource, timerSource } from './sources.js';
import { linkIn, linkOut, subflowIn, subflowNode, subflowOut } from './subflows.js';

export * from './define.js';
export { isSubflowId, linkStream, SUBFLOW_PREFIX } from './subflows.js';

export const NODE_TYPES: readonly NodeTypeDefinition[] = [
  httpSource,
  mqttSource,
  timerSource,
  simulatorSource,
  filterNode,
  transformNode,
  routerNode,
  batchNode,
  throttleNode,
  dedupeNode,
  functionNode,
  actorNode,
  debugSink,
  mqttPublishSink,
  httpRequestSink,
  storeSink,
  subflowNode,
  subflowIn,
  subflowOut,
  linkIn,
  linkOut,
] as NodeTypeDefinition[];

const byType = new Map(NODE_TYPES.map((d) => [d.type, d]));

export const nodeType = (type: string): NodeTypeDefinition | undefined => byType.get(type);

export const NODE_KINDS: readonly NodeKind[] = ['source', 'processor', 'handler', 'actor', 'sink'];
