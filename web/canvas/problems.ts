/**
 * Problems as the editor shows and counts them. One list feeds the problems panel, the status bar and the node
 * badges: the server's validation answer plus the fields whose text does not parse yet (which the server never
 * sees), so the three always agree. A message is shown without the field path it starts with, since the path is
 * shown beside it.
 */
import type { Problem } from '../../shared/api/flows.js';
import { problemText } from '../config/field-errors.js';
import type { InvalidField } from './store.js';

export { problemText };

export const INVALID_FIELD = 'invalid_field';

/** The fields that do not parse, as problems of their nodes. */
export function invalidProblems(invalid: Readonly<Record<string, InvalidField>>): Problem[] {
  return Object.values(invalid).map((f) => ({ code: INVALID_FIELD, nodeId: f.nodeId, path: `config.${f.path}`, message: f.message }));
}

/** Why the flow cannot be saved as it is, or null when it can. */
export function saveBlocker(invalid: Readonly<Record<string, InvalidField>>, names: ReadonlyMap<string, string> = new Map()): string | null {
  const fields = Object.values(invalid);
  const first = fields[0];
  if (!first) return null;
  const more = fields.length > 1 ? ` (and ${fields.length - 1} more field${fields.length > 2 ? 's' : ''})` : '';
  return `${names.get(first.nodeId) ?? first.nodeId} config.${first.path}: ${first.message}${more}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `2 errors, 1 warning`; `no problems` only when there are neither. */
export function countText(errors: number, warnings: number): string {
  if (errors === 0 && warnings === 0) return 'no problems';
  return [errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : ''].filter(Boolean).join(', ');
}

/** Each node's problems as the node's tooltip lists them: `config.x: message`. */
export const byNode = (problems: readonly Problem[]): Map<string, string[]> => {
  const map = new Map<string, string[]>();
  for (const p of problems) {
    if (!p.nodeId) continue;
    const text = p.path ? `${p.path}: ${problemText(p)}` : p.message;
    map.set(p.nodeId, [...(map.get(p.nodeId) ?? []), text]);
  }
  return map;
};
