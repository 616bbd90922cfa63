/**
 * The palette as data, derived from the node type definitions in shared/nodes: each type's kind, ports, look
 * and its config schema as JSON Schema (what a client without the shared code needs to build a form), in the
 * shape of shared/api/node-types.ts. The defaults are the server's where it gives its own (its actors' strategy,
 * time limit and snapshot interval), so a node the editor makes starts from what a node without them would run with.
 */
import { z } from 'zod';
import type { NodeTypeInfo } from '../../shared/api/node-types.js';
import { NODE_TYPES, type NodeTypeDefinition } from '../../shared/nodes/index.js';
import type { NodeDefaults } from '../compiler/compile.js';

function describe(def: NodeTypeDefinition, serverDefaults: Readonly<Record<string, unknown>>): NodeTypeInfo {
  const parsed = def.config.safeParse({ ...serverDefaults });
  const defaults = parsed.success ? (parsed.data as Record<string, unknown>) : null;
  let configSchema: unknown = null;
  try {
    configSchema = z.toJSONSchema(def.config, { io: 'input', unrepresentable: 'any' });
    const properties = (configSchema as { properties?: Record<string, { default?: unknown }> }).properties ?? {};
    for (const [field, value] of Object.entries(serverDefaults)) if (Object.hasOwn(properties, field)) properties[field]!.default = value;
  } catch {
    configSchema = null;
  }
  const outputs = defaults ? def.outputs(defaults as never) : safeOutputs(def);
  return { type: def.type, kind: def.kind, behaviour: def.behaviour, inputs: [...def.inputs], outputs, palette: { ...def.palette }, configSchema, defaults };
}

/** Output ports when the config has required fields: the fixed ports, learned from an empty rule set. */
function safeOutputs(def: NodeTypeDefinition): string[] {
  try {
    return def.outputs({ rules: [] } as never);
  } catch {
    return ['out'];
  }
}

const NO_DEFAULTS: NodeDefaults = {};
/** By the server's node defaults: a server keeps one object for as long as it runs. */
const cached = new WeakMap<NodeDefaults, NodeTypeInfo[]>();

export function nodeTypeInfos(nodeDefaults: NodeDefaults = NO_DEFAULTS): NodeTypeInfo[] {
  let infos = cached.get(nodeDefaults);
  if (!infos) {
    infos = NODE_TYPES.map((def) => describe(def, Object.hasOwn(nodeDefaults, def.type) ? nodeDefaults[def.type]! : {}));
    cached.set(nodeDefaults, infos);
  }
  return infos;
}
