/**
 * What every adapter checks before it appends, before a group commit is planned: an event it cannot index or order,
 * or holding what one of the adapters cannot store (see storable.ts), is refused with a StoreError `invalid_event`
 * naming the event and the field, and nothing of that call is written. The calls group-committed with it are not
 * touched: a refused call never reaches the transaction.
 */
import { counterOf, isValidClock } from '../../shared/clock.js';
import type { EventDraft } from '../../shared/event.js';
import { nameProblem, pathStep, sourceProblem, textProblem, unstorableIn } from '../../shared/storable.js';
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

/** Required names the adapters index. */
const NAME_FIELDS = ['id', 'stream', 'process', 'correlationId'] as const;
/** Optional text. */
const OPTIONAL_TEXT_FIELDS = ['subject', 'datacontenttype', 'causationId', 'flowId', 'nodeId'] as const;
/** The largest revision every adapter stores (PostgreSQL's `integer`). */
const MAX_REVISION = 2 ** 31 - 1;

/**
 * The refusal of one field of the call's `index`th event. `details.field` is the path (`data.name`), and
 * `details.problem` what is wrong with it, for callers that name the field their own way (the HTTP publish).
 */
function invalid(draft: EventDraft, index: number, field: string, problem: string): StoreError {
  const id = typeof draft?.id === 'string' ? draft.id : undefined;
  const which = id === undefined ? `#${index}` : JSON.stringify(id.length > 64 ? `${id.slice(0, 64)}…` : id);
  return new StoreError('invalid_event', `event ${which}: ${field}: ${problem}`, { index, id, field, problem });
}

export function checkDraft(draft: EventDraft, index: number): CheckedDraft {
  if (typeof draft !== 'object' || draft === null) throw invalid(draft, index, 'event', 'must be an object');
  const { id, type, source } = draft;
  if (typeof id !== 'string' || id.length === 0) throw invalid(draft, index, 'id', 'must be a non-empty string');
  checkText(draft, index, 'id', nameProblem(id));
  if (typeof type !== 'string' || type.length === 0) throw invalid(draft, index, 'type', 'must be a non-empty string');
  checkText(draft, index, 'type', textProblem(type));
  if (typeof source !== 'string' || source.length === 0) throw invalid(draft, index, 'source', 'must be a non-empty string');
  checkText(draft, index, 'source', sourceProblem(source));
  const key = timeKey(draft.time);
  if (key === null) throw invalid(draft, index, 'time', 'must be an RFC 3339 time');
  // Before the fields that default to them (a publish takes its stream from the subject).
  for (const field of OPTIONAL_TEXT_FIELDS) {
    const value = draft[field];
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string') throw invalid(draft, index, field, 'must be a string or null');
    checkText(draft, index, field, textProblem(value));
  }
  checkJson(draft, index, draft.data, 'data');
  for (const field of NAME_FIELDS) {
    const value = draft[field];
    if (typeof value !== 'string' || value.length === 0) throw invalid(draft, index, field, 'must be a non-empty string');
    checkText(draft, index, field, nameProblem(value));
  }
  if (!isValidClock(draft.vectorClock)) throw invalid(draft, index, 'vectorClock', 'must map process names to non-negative integers');
  for (const process in draft.vectorClock) {
    if (!Object.hasOwn(draft.vectorClock, process)) continue;
    const problem = nameProblem(process);
    if (problem !== null) throw invalid(draft, index, `vectorClock${pathStep(process)}`, `the process name ${problem}`);
  }
  const own = counterOf(draft.vectorClock, draft.process);
  if (own < 1) throw invalid(draft, index, 'vectorClock', `must count the event's own process "${draft.process}" at 1 or more`);
  const revision = draft.revision ?? null;
  if (revision !== null && !(Number.isInteger(revision) && revision >= 0 && revision <= MAX_REVISION)) {
    throw invalid(draft, index, 'revision', `must be an integer from 0 to ${MAX_REVISION}, or null`);
  }
  const expected = draft.expectedVersion ?? null;
  if (expected !== null && !(Number.isSafeInteger(expected) && expected >= 0)) {
    throw invalid(draft, index, 'expectedVersion', 'must be a non-negative integer');
  }
  checkJson(draft, index, draft.metadata, 'metadata');
  return { draft, timeKey: key, own, expectedVersion: expected };
}

function checkText(draft: EventDraft, index: number, field: string, problem: string | null): void {
  if (problem !== null) throw invalid(draft, index, field, problem);
}

function checkJson(draft: EventDraft, index: number, value: unknown, field: string): void {
  const found = unstorableIn(value, field);
  if (found !== null) throw invalid(draft, index, found.path, found.problem);
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
