/** JSONata expressions as the nodes use them: compiled once, evaluated against the whole event. */
import jsonata from 'jsonata';
import type { StoredEvent } from '../../shared/event.js';

export interface Expression {
  evaluate(event: StoredEvent): Promise<unknown>;
}

export function compileExpression(source: string): Expression {
  const compiled = jsonata(source);
  return {
    evaluate: async (event) => {
      const value = await compiled.evaluate(event);
      return unwrapSequence(value);
    },
  };
}

/** JSONata returns arrays with a `sequence` flag; normalise to plain values. */
function unwrapSequence(value: unknown): unknown {
  if (Array.isArray(value)) return Array.from(value);
  return value;
}

/** JSONata truthiness for predicates: undefined (no match) is false. */
export const isTruthy = (value: unknown): boolean => {
  if (Array.isArray(value)) return value.some(isTruthy);
  return Boolean(value);
};

/** A key for grouping (throttle, dedupe, actor): strings as they are, other values as JSON. */
export const keyOf = (value: unknown): string =>
  value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
