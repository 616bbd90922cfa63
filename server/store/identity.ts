/**
 * An event's identity, as CloudEvents defines it: its `source` and `id` together, unique per namespace. Two producers
 * may use the same id; each of their events is stored. An event whose pair is already stored is answered here: the
 * same content makes it a retry (the stored event is returned as a duplicate and nothing is written), other content a
 * StoreError `duplicate_conflict` naming both events, which refuses the whole append call.
 *
 * "The same content" compares what the producer states about the occurrence:
 * - `type`, `subject`, `datacontenttype`, `stream` and `data` (as JSON values: key order does not matter).
 * Not compared, because two deliveries of one event may differ in them:
 * - `time`: the server stamps the time of receipt when a producer leaves it out;
 * - `process`, `vectorClock`, `position`, `version`: stamped by the server that receives the event;
 * - `correlationId`, `causationId`, `metadata` (extension attributes such as `traceparent`), `expectedVersion`.
 * Events a flow derives (with a `nodeId` and a `causationId`) are never refused: their id is a hash of their cause,
 * node and output, so the same pair is the same derivation run again, after a crash or a redeploy, and a node whose
 * code is not deterministic (`$now()`, `Math.random()`) gives other content. The first one stored stays.
 */
import { isDeepStrictEqual } from 'node:util';
import type { EventDraft, StoredEvent } from '../../shared/event.js';
import { jsonCopy } from './json-copy.js';
import { StoreError, type AppendResult } from './types.js';
import { notJson } from './validate.js';

/** The content attributes of `draft` that differ from the stored event's, in a fixed order. */
export function contentDifferences(stored: StoredEvent, draft: EventDraft): string[] {
  const fields: string[] = [];
  if (stored.type !== draft.type) fields.push('type');
  if (stored.subject !== (draft.subject ?? null)) fields.push('subject');
  if (stored.datacontenttype !== (draft.datacontenttype ?? null)) fields.push('datacontenttype');
  if (stored.stream !== draft.stream) fields.push('stream');
  if (!isDeepStrictEqual(stored.data, dataOf(draft))) fields.push('data');
  return fields;
}

/** The data as the store keeps it (a JSON copy), to compare with a stored event's. */
function dataOf(draft: EventDraft): unknown {
  try {
    return jsonCopy(draft.data);
  } catch (error) {
    throw notJson(draft.id, 'data', error);
  }
}

/** An event a flow derived from another: its id is deterministic in its cause (see the head of this file). */
const isDerived = (draft: EventDraft) => typeof draft.nodeId === 'string' && typeof draft.causationId === 'string';

/**
 * The answer to the event at `index` of an append call whose pair is held by `known`: stored before, or earlier in
 * the same call at `firstIndex` (null when it is not of this call). A duplicate, or a StoreError `duplicate_conflict`.
 */
export function duplicateOf(known: StoredEvent, draft: EventDraft, index: number, namespace: string, firstIndex: number | null): AppendResult {
  if (isDerived(draft)) return { event: known, duplicate: true };
  const fields = contentDifferences(known, draft);
  if (fields.length === 0) return { event: known, duplicate: true };
  throw duplicateConflict(known, draft, index, namespace, firstIndex, fields);
}

function duplicateConflict(
  known: StoredEvent,
  draft: EventDraft,
  index: number,
  namespace: string,
  firstIndex: number | null,
  fields: string[],
): StoreError {
  const pair = `source ${JSON.stringify(draft.source)} and id ${JSON.stringify(draft.id)}`;
  const differ = `${fields.join(', ')} ${fields.length === 1 ? 'differs' : 'differ'}`;
  const message =
    firstIndex === null
      ? `event #${index} has the ${pair} of the event stored at position ${known.position} (stream ${JSON.stringify(known.stream)}), with other content: ${differ}`
      : `events #${firstIndex} and #${index} have the same ${pair}, with other content: ${differ}`;
  return new StoreError('duplicate_conflict', message, {
    namespace,
    source: draft.source,
    id: draft.id,
    fields,
    first: firstIndex === null ? { index: null, position: known.position, stream: known.stream } : { index: firstIndex, position: null, stream: known.stream },
    second: { index, stream: draft.stream },
  });
}
