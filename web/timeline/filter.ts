/**
 * The timeline's filters and search: which loaded events a query matches (highlighted; the rest dimmed).
 * Pure.
 */
import { typeMatches } from '../../shared/event.js';

export interface TimelineQuery {
  /** Type patterns with `*`; empty: any. */
  types?: string[];
  source?: string;
  process?: string;
  flowId?: string;
  correlationId?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  /** Case-insensitive text searched in the payload (its JSON). */
  text?: string;
}

export interface FilterableEvent {
  type: string;
  source: string;
  process: string;
  flowId: string | null;
  correlationId: string;
  time: number;
  data: unknown;
}

export const isEmptyQuery = (q: TimelineQuery): boolean =>
  (q.types ?? []).length === 0 &&
  !q.source &&
  !q.process &&
  !q.flowId &&
  !q.correlationId &&
  q.from === undefined &&
  q.to === undefined &&
  !q.text;

/** Payload JSON, lower-cased, computed once per event object. */
const payloadText = new WeakMap<object, string>();
function searchable(event: FilterableEvent): string {
  let text = payloadText.get(event);
  if (text === undefined) {
    text = (JSON.stringify(event.data) ?? '').toLowerCase();
    payloadText.set(event, text);
  }
  return text;
}

export function matches(event: FilterableEvent, q: TimelineQuery): boolean {
  const types = q.types ?? [];
  if (types.length > 0 && !types.some((t) => typeMatches(t, event.type))) return false;
  if (q.source && !event.source.includes(q.source)) return false;
  if (q.process && event.process !== q.process) return false;
  if (q.flowId && event.flowId !== q.flowId) return false;
  if (q.correlationId && event.correlationId !== q.correlationId) return false;
  if (q.from !== undefined && event.time < q.from) return false;
  if (q.to !== undefined && event.time >= q.to) return false;
  if (q.text && !searchable(event).includes(q.text.toLowerCase())) return false;
  return true;
}

/** 1 for each event the query matches (all of them for an empty query). */
export function matchMask(events: readonly FilterableEvent[], q: TimelineQuery): Uint8Array {
  const mask = new Uint8Array(events.length);
  if (isEmptyQuery(q)) return mask.fill(1);
  for (let i = 0; i < events.length; i++) if (matches(events[i]!, q)) mask[i] = 1;
  return mask;
}
