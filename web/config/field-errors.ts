/** A config checked against its node type's zod schema: the messages by dotted field path, for inline errors. */
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
