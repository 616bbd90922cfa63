/**
 * JSONata expressions as the nodes use them: compiled once, evaluated against the whole event, a batch of events
 * at a time. The simplest expressions answer at once through the direct evaluator, on the event loop; the rest (and
 * inputs it is unsure of) go to JSONata in a user-code thread, with its limits, in one message per batch.
 */
import jsonata from 'jsonata';
import type { StoredEvent } from '../../shared/event.js';
import { compileDirect, UNSURE } from './direct-expression.js';
import type { MaybePromise } from './maybe-promise.js';
import { NodeFailure } from './node.js';
import type { ProgramHandle, UserCodePool } from './user-code/pool.js';


export interface Expression {
  /**
   * Each event's value, in order, or the NodeFailure the expression failed with on it. At once (no promise) when
   * the direct path answers every event.
   */
  evaluateAll(events: readonly StoredEvent[]): MaybePromise<unknown[]>;
  /** Frees the program in its thread. */
  release(): void;
}

export function compileExpression(source: string, pool: UserCodePool, group?: string): Expression {
  const direct = compileDirect(jsonata(source).ast());
  let handle: ProgramHandle | undefined;
  const viaThread = async (values: unknown[], events: readonly StoredEvent[], pending: number[]): Promise<unknown[]> => {
    handle ??= pool.register({ kind: 'jsonata', source }, group);
    const inputs = pending.length === events.length ? (events as StoredEvent[]) : pending.map((i) => events[i]!);
    const { results } = await pool.run(handle, { op: 'evaluate', inputs });
    for (let j = 0; j < pending.length; j++) {
      const result = results[j]!;
      values[pending[j]!] = result.ok ? result.value : new NodeFailure(result.failure.code, result.failure.message, result.failure.details);
    }
    return values;
  };
  return {
    evaluateAll: (events) => {
      const values = new Array<unknown>(events.length);
      const pending: number[] = [];
      for (let i = 0; i < events.length; i++) {
        const value = direct ? direct(events[i]) : UNSURE;
        if (value === UNSURE) pending.push(i);
        else values[i] = value;
      }
      return pending.length === 0 ? values : viaThread(values, events, pending);
    },
    release: () => {
      if (handle) pool.release(handle);
    },
  };
}

/** Each input's answer from its value, or the failure its value is. */
export function answersOf<A>(values: unknown[], answer: (value: unknown, index: number) => A): (A | NodeFailure)[] {
  const answers = new Array<A | NodeFailure>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    answers[i] = value instanceof NodeFailure ? value : answer(value, i);
  }
  return answers;
}

/** JSONata truthiness for predicates: undefined (no match) is false. */
export const isTruthy = (value: unknown): boolean => {
  if (Array.isArray(value)) return value.some(isTruthy);
  return Boolean(value);
};

/** A key for grouping (throttle, dedupe, actor): strings as they are, other values as JSON. */
export const keyOf = (value: unknown): string =>
  value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
