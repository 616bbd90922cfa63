/** Fills a config's missing fields with the defaults its schema declares (nested objects included). */
import type { JsonSchema } from './json-schema.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

export function withDefaults(schema: JsonSchema, value: unknown): unknown {
  if (value === undefined && schema.default !== undefined) return withDefaults(schema, clone(schema.default));
  if (schema.type === 'object' && schema.properties && (value === undefined || isRecord(value))) {
    const out: Record<string, unknown> = { ...(value ?? {}) };
    for (const [key, child] of Object.entries(schema.properties)) {
      const filled = withDefaults(child, out[key]);
      if (filled !== undefined) out[key] = filled;
    }
    return value === undefined && Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}

/** A new node's config: every default filled, required fields without one left out (the form asks for them). */
export const defaultConfig = (schema: JsonSchema | null): Record<string, unknown> =>
  schema ? ((withDefaults(schema, {}) as Record<string, unknown> | undefined) ?? {}) : {};
