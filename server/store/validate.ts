/**
 * What every adapter checks before it appends: an event it cannot index or order is refused with a StoreError
 * `invalid_event` naming the event and the field, and nothing of that call is written.
 */
import { isValidClock } from '../../shared/clock.js';
import type { EventDraft } from '../../shared/event.js';
import { timeKey } from './time.js';
import { StoreError } from './types.js';

export interface CheckedDraft {
  draft: EventDraft;
  /** The sortable form of `draft.time`. */
  timeKey: string;
  /** `vectorClock[process]`: the event's own counter on its process. */
  own: number;
  /** `draft.expectedVersion`, or null when any version will do. */
  expectedVersion: number | null;
}

const TEXT_FIELDS = ['id', 'type', 'source', 'stream', 'process', 'correlationId'] as const;

function invalid(draft: EventDraft, index: number, field: string, message: string): StoreError {
  const id = typeof draft?.id === 'string' ? draft.id : undefined;
  return new StoreError('invalid_event', `event ${id === undefined ? `#${index}` : JSON.stringify(id)}: ${field} ${message}`, { index, id, field });
}

export function checkDraft(draft: EventDraft, index: number): CheckedDraft {
  if (typeof draft !== 'object' || draft === null) throw invalid(draft, index, 'event', 'must be an object');
  for (const field of TEXT_FIELDS) {
    const value = draft[field];
    if (typeof value !== 'string' || value.length === 0) throw invalid(draft, index, field, 'must be a non-empty string');
  }
  if (!isValidClock(draft.vectorClock)) throw invalid(draft, index, 'vectorClock', 'must map process names to non-negative integers');
  const own = draft.vectorClock[draft.process] ?? 0;
  if (own < 1) throw invalid(draft, index, 'vectorClock', `must count the event's own process "${draft.process}" at 1 or more`);
  const key = timeKey(draft.time);
  if (key === null) throw invalid(draft, index, 'time', 'must be an RFC 3339 time');
  const expected = draft.expectedVersion ?? null;
  if (expected !== null && !(Number.isSafeInteger(expected) && expected >= 0)) {
    throw invalid(draft, index, 'expectedVersion', 'must be a non-negative integer');
  }
  return { draft, timeKey: key, own, expectedVersion: expected };
}

export const checkDrafts = (drafts: EventDraft[]): CheckedDraft[] => {
  if (!Array.isArray(drafts)) throw new StoreError('invalid_event', 'append expects an array of events');
  return drafts.map(checkDraft);
};

/** The error for a field with no JSON form (BigInt, cycles). */
export const notJson = (id: string, field: string, error: unknown): StoreError =>
  new StoreError('invalid_event', `event ${JSON.stringify(id)}: ${field} is not JSON (${String(error)})`, { id, field });

/** JSON text of a value, or a StoreError `invalid_event` when it has none. */
export function toJson(value: unknown, id: string, field: string): string {
  try {
    return JSON.stringify(value ?? null) ?? 'null';
  } catch (error) {
    throw notJson(id, field, error);
  }
}

export function versionConflict(
  draft: EventDraft,
  namespace: string,
  expectedVersion: number,
  actualVersion: number,
): StoreError {
  return new StoreError(
    'version_conflict',
    `stream "${draft.stream}" is at version ${actualVersion}, event ${JSON.stringify(draft.id)} expected ${expectedVersion}`,
    { id: draft.id, stream: draft.stream, namespace, expectedVersion, actualVersion },
  );
}
