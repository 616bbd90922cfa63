/** The input and output ports of a node, from its type (outputs may depend on the config: a router's rules). */
import type { FlowNode } from '../../shared/flow.js';
import { nodeType } from '../../shared/nodes/index.js';

export interface Ports {
  inputs: string[];
  outputs: string[];
}

/** Ports by config object: a node's config is replaced, never changed in place, so each one is checked once. */
const known = new WeakMap<object, { type: string; ports: Ports }>();

export function portsOf(node: Pick<FlowNode, 'type' | 'config'>): Ports {
  const config: unknown = node.config;
  if (typeof config !== 'object' || config === null) return portsFromConfig(node);
  const hit = known.get(config);
  if (hit && hit.type === node.type) return hit.ports;
  const ports = portsFromConfig(node);
  known.set(config, { type: node.type, ports });
  return ports;
}

function portsFromConfig(node: Pick<FlowNode, 'type' | 'config'>): Ports {
  const def = nodeType(node.type);
  if (!def) return { inputs: ['in'], outputs: ['out'] };
  const parsed = def.config.safeParse(node.config);
  if (parsed.success) return { inputs: [...def.inputs], outputs: def.outputs(parsed.data) };
  // An unfinished config: keep the ports a user has already named (router rules), else the type's defaults.
  const rules = (node.config as { rules?: unknown }).rules;
  if (node.type === 'router' && Array.isArray(rules)) {
    const named = rules.map((r) => (r as { port?: unknown }).port).filter((p): p is string => typeof p === 'string' && p !== '');
    return { inputs: [...def.inputs], outputs: [...named, 'otherwise'] };
  }
  try {
    return { inputs: [...def.inputs], outputs: def.outputs(node.config as never) };
  } catch {
    return { inputs: [...def.inputs], outputs: ['out'] };
  }
}
