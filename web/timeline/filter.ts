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
  /** Case-insensitive text searched in the payload (its JSON) — by the server, which answers the positions. */
  text?: string;
}

export interface FilterableEvent {
  position: number;
  type: string;
  source: string;
  process: string;
  flowId: string | null;
  correlationId: string;
  time: number;
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

/**
 * Whether an event matches; the payload text is matched by `textMatches`, the positions the server found
 * (nothing matches a text until they are known).
 */
export function matches(event: FilterableEvent, q: TimelineQuery, textMatches: ReadonlySet<number> | null = null): boolean {
  const types = q.types ?? [];
  if (types.length > 0 && !types.some((t) => typeMatches(t, event.type))) return false;
  if (q.source && !event.source.includes(q.source)) return false;
  if (q.process && event.process !== q.process) return false;
  if (q.flowId && event.flowId !== q.flowId) return false;
  if (q.correlationId && event.correlationId !== q.correlationId) return false;
  if (q.from !== undefined && event.time < q.from) return false;
  if (q.to !== undefined && event.time >= q.to) return false;
  if (q.text && !textMatches?.has(event.position)) return false;
  return true;
}

/** 1 for each event the query matches (all of them for an empty query). */
export function matchMask(events: readonly FilterableEvent[], q: TimelineQuery, textMatches: ReadonlySet<number> | null = null): Uint8Array {
  const mask = new Uint8Array(events.length);
  if (isEmptyQuery(q)) return mask.fill(1);
  for (let i = 0; i < events.length; i++) if (matches(events[i]!, q, textMatches)) mask[i] = 1;
  return mask;
}
