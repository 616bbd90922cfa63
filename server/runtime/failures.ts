/**
 * What an error means for the input it happened on. A node's failure or a store's refusal becomes the `Failure` a
 * dead letter carries, by its code; anything else is a `node_error` with its message. A store refusal that concerns
 * one input's events (a stated version conflicts, an event it cannot keep) is told apart from one that concerns the
 * store: the first dead-letters that input, the second stops the node.
 */
import { isStoreError } from '../store/index.js';
import type { Failure } from './derive.js';
import { NodeFailure } from './node.js';

export function failureOf(error: unknown): Failure {
  if (error instanceof NodeFailure) return { code: error.code, message: error.message, details: error.details };
  if (isStoreError(error)) return { code: error.code, message: error.message, details: error.details };
  return { code: 'node_error', message: error instanceof Error ? error.message : String(error) };
}

/** A refusal that concerns the events of one input, not the store: retried input by input, the refused one dead-lettered. */
export const refusesOneInput = (error: unknown): boolean => isStoreError(error, 'version_conflict') || isStoreError(error, 'invalid_event');
