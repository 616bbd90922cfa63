import type { Emit } from '../node.js';
import { NodeFailure } from '../node.js';

/**
 * What user code returns, as derived events: `null` for none, `{type, data}` for one, or an array of them.
 * Anything else is an `invalid_result` failure naming what was wrong.
 */
export function toEmits(value: unknown, what: string): Emit[] {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i) => {
    const where = Array.isArray(value) ? `${what}[${i}]` : what;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new NodeFailure('invalid_result', `${where} must be an object {type, data}`);
    }
    const { type, data, subject, stream } = item as Record<string, unknown>;
    if (typeof type !== 'string' || type.length === 0 || type.length > 256) {
      throw new NodeFailure('invalid_result', `${where}.type must be a non-empty string`);
    }
    if (subject !== undefined && subject !== null && typeof subject !== 'string') {
      throw new NodeFailure('invalid_result', `${where}.subject must be a string`);
    }
    if (stream !== undefined && (typeof stream !== 'string' || stream.length === 0)) {
      throw new NodeFailure('invalid_result', `${where}.stream must be a non-empty string`);
    }
    return {
      kind: 'emit' as const,
      type,
      data: data ?? null,
      ...(typeof subject === 'string' ? { subject } : {}),
      ...(typeof stream === 'string' ? { stream } : {}),
    };
  });
}
