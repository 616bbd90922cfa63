/** The input and output ports of a node, from its type (outputs may depend on the config: a router's rules). */
import type { FlowNode } from '../../shared/flow.js';
import { nodeType } from '../../shared/nodes/index.js';

export interface Ports {
  inputs: string[];
  outputs: string[];
}

export function portsOf(node: Pick<FlowNode, 'type' | 'config'>): Ports {
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
