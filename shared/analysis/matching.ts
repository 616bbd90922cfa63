/**
 * How one event test of the structured search is decided: `=` and `!=` compare whole values with `*` matching any
 * run of characters (found piece by piece, never by a regular expression, so no pattern
 * can backtrack); `~` finds the value inside, ignoring case. `text` is the payload's
 * `text` field when it is a string (a ShiViz event's line), else the payload's JSON; `data.a.b` is the payload's
 * field at that path (a missing one never equals or contains anything, and is `!=` to everything).
 *
 * Pure: no I/O.
 */
import type { AnalysisEvent } from './graph.js';
import type { Expr, Field } from './query-syntax.js';

/**
 * Whether `text` matches `pattern`, where `*` stands for any run of characters. The pieces between stars are found
 * left to right, each at its first place after the one before (the leftmost place never loses a match), so the
 * text is scanned once per piece at most.
 */
export function globMatches(pattern: string, text: string): boolean {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return pattern === text;
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let k = 1; k < pieces.length - 1; k++) {
    const piece = pieces[k]!;
    if (piece === '') continue;
    const found = text.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

const asText = (value: unknown): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
};

function valueAt(data: unknown, path: readonly string[]): unknown {
  let at: unknown = data;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** The text a field has on an event, or undefined when the event has no such field. */
export function fieldText(event: AnalysisEvent, field: Field): string | undefined {
  switch (field.name) {
    case 'type':
      return event.type;
    case 'process':
      return event.process;
    case 'source':
      return event.source;
    case 'id':
      return event.id;
    case 'text': {
      const text = valueAt(event.data, ['text']);
      return typeof text === 'string' ? text : asText(event.data);
    }
    case 'data':
      return asText(valueAt(event.data, field.path));
  }
}

/** Whether an event passes an expression. */
export function exprMatches(expr: Expr, event: AnalysisEvent): boolean {
  switch (expr.kind) {
    case 'any':
      return true;
    case 'not':
      return !exprMatches(expr.expr, event);
    case 'and':
      return exprMatches(expr.left, event) && exprMatches(expr.right, event);
    case 'or':
      return exprMatches(expr.left, event) || exprMatches(expr.right, event);
    case 'test': {
      const text = fieldText(event, expr.field);
      if (text === undefined) return expr.op === '!=';
      if (expr.op === '~') return text.toLowerCase().includes(expr.value.toLowerCase());
      const equal = globMatches(expr.value, text);
      return expr.op === '=' ? equal : !equal;
    }
  }
}
