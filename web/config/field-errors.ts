/**
 * Errors shown on config fields: a config checked against its node type's zod schema (the messages by dotted field
 * path), and the server's problems worded for a field, without the path the field already shows.
 */
import type { Problem } from '../../shared/api/flows.js';
import { nodeType } from '../../shared/nodes/index.js';

export type FieldErrors = Record<string, string>;

export const pathKey = (path: readonly PropertyKey[]): string => path.map((p) => String(p)).join('.');

export function configErrors(type: string, config: unknown): FieldErrors {
  const def = nodeType(type);
  if (!def) return { '': `unknown node type "${type}"` };
  const result = def.config.safeParse(config);
  if (result.success) return {};
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = pathKey(issue.path);
    errors[key] ??= issue.message;
  }
  return errors;
}

/** A problem's message without the `config.x: ` (or `filter config.x: `) it opens with when that is its own path. */
export function problemText(p: Pick<Problem, 'path' | 'message'>): string {
  if (p.path === '') return p.message;
  // The path opens the message, after at most one word (the node type, in a config problem).
  const escaped = p.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const opening = new RegExp(`^(?:\\S+ )?${escaped}: `).exec(p.message);
  return opening ? p.message.slice(opening[0].length) : p.message;
}
