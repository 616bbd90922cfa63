/**
 * A node type's zod config schema seen as JSON Schema (input side): the form is generated from it. Converted
 * once per node type.
 */
import { z } from 'zod';
import { nodeType } from '../../shared/nodes/index.js';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  default?: unknown;
  description?: string;
  language?: 'jsonata' | 'javascript';
  minimum?: number;
  maximum?: number;
  minItems?: number;
  format?: string;
}

const cache = new Map<string, JsonSchema>();

export function configJsonSchema(type: string): JsonSchema | null {
  const cached = cache.get(type);
  if (cached) return cached;
  const def = nodeType(type);
  if (!def) return null;
  const schema = z.toJSONSchema(def.config, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  cache.set(type, schema);
  return schema;
}
