/**
 * Node checks: unique ids, known types, configs against their type's schema (defaults filled in: the server's
 * `NodeDefaults` for the fields a config leaves out, then the type's own).
 */
import { z } from 'zod';
import type { FlowNode } from '../../shared/flow.js';
import { nodeType, NODE_TYPES, type NodeTypeDefinition } from '../../shared/nodes/index.js';
import type { Indexed } from './document.js';
import { dotted, quote, under, type Report } from './errors.js';
import { readableErrors } from './zod-issues.js';

/** A node of the document with what the compiler learned about it. */
export interface CheckedNode {
  /** Its index in the document's `nodes`. */
  index: number;
  node: FlowNode;
  /** Undefined for an unknown type. */
  definition?: NodeTypeDefinition;
  /** The config parsed with defaults; undefined when it does not match the schema (or the type is unknown). */
  config?: Record<string, unknown>;
  /** Dotted paths (relative to the config) of the config's schema problems. */
  configIssues: string[];
  inputs?: readonly string[];
  /** Undefined when unknown (unknown type, or a config the ports cannot be read from). */
  outputs?: readonly string[];
}

/** Config values by node type (`{actor: {strategy: 'stop'}}`) for the fields a node's config does not set. */
export type NodeDefaults = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export interface CheckedNodes {
  /** Every node, in document order (duplicates included, so their configs are checked too). */
  all: CheckedNode[];
  /** The first node with each id: the one edges join. */
  byId: Map<string, CheckedNode>;
}

export function checkNodes(nodes: readonly Indexed<FlowNode>[], report: Report, defaults: NodeDefaults = {}): CheckedNodes {
  const all: CheckedNode[] = [];
  const byId = new Map<string, CheckedNode>();
  for (const { item: node, index } of nodes) {
    const checked = checkNode(node, index, report, Object.hasOwn(defaults, node.type) ? defaults[node.type] : undefined);
    all.push(checked);
    const first = byId.get(node.id);
    if (first === undefined) byId.set(node.id, checked);
    else {
      report.error('duplicate_node_id', {
        nodeId: node.id,
        path: `nodes.${index}.id`,
        message: `node id ${quote(node.id)} is used by nodes ${first.index} and ${index}; node ids must be unique`,
      });
    }
  }
  return { all, byId };
}

function checkNode(node: FlowNode, index: number, report: Report, defaults: Readonly<Record<string, unknown>> | undefined): CheckedNode {
  const definition = nodeType(node.type);
  if (definition === undefined) {
    report.error('unknown_node_type', {
      nodeId: node.id,
      path: 'type',
      message: `unknown node type ${quote(node.type)}; known types: ${NODE_TYPES.map((d) => d.type).join(', ')}`,
    });
    return { index, node, configIssues: [] };
  }
  warnUnknownFields(node, definition, report);
  const parsed = definition.config.safeParse(defaults ? { ...defaults, ...node.config } : node.config, readableErrors);
  if (parsed.success) {
    const config = parsed.data as Record<string, unknown>;
    return { index, node, definition, config, configIssues: [], inputs: definition.inputs, outputs: definition.outputs(config) };
  }
  const configIssues = parsed.error.issues.map((issue) => {
    const path = under('config', issue.path);
    report.error('invalid_config', { nodeId: node.id, path, message: `${node.type} ${path}: ${issue.message}` });
    return dotted(issue.path);
  });
  return { index, node, definition, configIssues, inputs: definition.inputs, outputs: outputsOfRaw(definition, node.config) };
}

/** Ports of a node whose config did not parse: read from the raw config when they can be. */
function outputsOfRaw(definition: NodeTypeDefinition, config: Record<string, unknown>): string[] | undefined {
  try {
    const outputs = definition.outputs(config);
    return Array.isArray(outputs) && outputs.every((p) => typeof p === 'string') ? outputs : undefined;
  } catch {
    return undefined;
  }
}

/** Config fields the schema does not know are dropped when parsing: most likely a typo. */
function warnUnknownFields(node: FlowNode, definition: NodeTypeDefinition, report: Report): void {
  const schema = definition.config;
  if (!(schema instanceof z.ZodObject)) return;
  const known = Object.keys(schema.shape);
  for (const key of Object.keys(node.config)) {
    if (known.includes(key)) continue;
    report.warning('unknown_config_field', {
      nodeId: node.id,
      path: `config.${key}`,
      message: `${node.type} has no config field ${quote(key)} (it is ignored); fields: ${known.join(', ') || 'none'}`,
    });
  }
}
