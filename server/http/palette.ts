/**
 * The palette as data, derived from the node type definitions in shared/nodes: each type's kind, ports, look
 * and its config schema as JSON Schema (what a client without the shared code needs to build a form), in the
 * shape of shared/api/node-types.ts.
 */
import { z } from 'zod';
import type { NodeTypeInfo } from '../../shared/api/node-types.js';
import { NODE_TYPES, type NodeTypeDefinition } from '../../shared/nodes/index.js';

function describe(def: NodeTypeDefinition): NodeTypeInfo {
  const parsed = def.config.safeParse({});
  const defaults = parsed.success ? (parsed.data as Record<string, unknown>) : null;
  let configSchema: unknown = null;
  try {
    configSchema = z.toJSONSchema(def.config, { io: 'input', unrepresentable: 'any' });
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

let cached: NodeTypeInfo[] | undefined;

export function nodeTypeInfos(): NodeTypeInfo[] {
  cached ??= NODE_TYPES.map(describe);
  return cached;
}
