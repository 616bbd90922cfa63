/**
 * JSONata expressions as the nodes use them: compiled once, evaluated against the whole event. The simplest
 * expressions answer at once through the direct evaluator; the rest (and inputs it is unsure of) go to JSONata.
 */
import jsonata from 'jsonata';
import type { StoredEvent } from '../../shared/event.js';
import { compileDirect, UNSURE } from './direct-expression.js';

/** A value, or a promise of it when it had to wait. */
export type MaybePromise<T> = T | Promise<T>;

export interface Expression {
  /** The value directly when the fast path answers, otherwise JSONata's promise of it. */
  evaluate(event: StoredEvent): MaybePromise<unknown>;
}

export function compileExpression(source: string): Expression {
  const compiled = jsonata(source);
  const viaJsonata = async (event: StoredEvent) => unwrapSequence(await compiled.evaluate(event));
  const direct = compileDirect(compiled.ast());
  if (!direct) return { evaluate: viaJsonata };
  return {
    evaluate: (event) => {
      const value = direct(event);
      return value === UNSURE ? viaJsonata(event) : value;
    },
  };
}

/** Applies `f` to a value at once, or to a promise's value once it resolves: no promise when none is needed. */
export function andThen<T, R>(value: MaybePromise<T>, f: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
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
