/** How an adapter turns a checked draft into the event it stores. */
import type { EventDraft, StoredEvent } from '../../shared/event.js';

/**
 * The stored event of `draft` at `position` and `version`, with the copies of its data and metadata the adapter
 * made (the store keeps nothing a caller could change afterwards) and its own copy of the clock; absent optional
 * attributes are null.
 */
export function storedEventOf(draft: EventDraft, position: number, version: number, data: unknown, metadata: Record<string, unknown>): StoredEvent {
  return {
    id: draft.id,
    type: draft.type,
    source: draft.source,
    time: draft.time,
    subject: draft.subject ?? null,
    datacontenttype: draft.datacontenttype ?? null,
    data,
    stream: draft.stream,
    version,
    position,
    process: draft.process,
    vectorClock: { ...draft.vectorClock },
    correlationId: draft.correlationId,
    causationId: draft.causationId ?? null,
    flowId: draft.flowId ?? null,
    nodeId: draft.nodeId ?? null,
    revision: draft.revision ?? null,
    metadata,
  };
}
