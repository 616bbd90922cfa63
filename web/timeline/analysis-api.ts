/**
 * The server calls of the timeline's analyses: the structured search (`GET /api/timeline/search`) over the live
 * events or one imported execution, and the full events of an imported execution for comparing and grouping
 * executions, read page by page with their payloads (`GET /api/events?execution=`), at most MAX_EXECUTION_EVENTS.
 */
import { TimelineSearchSchema, type TimelineSearch } from '../../shared/api/timeline.js';
import { EventPageSchema } from '../../shared/api/events.js';
import type { AnalysisEvent } from '../../shared/analysis/graph.js';
import { getJson } from '../api/client.js';

export interface SearchScope {
  /** An imported execution's id; without it, the live events. */
  execution?: string;
  source?: string;
  /** Positions: only events after `after` and before `before`. */
  after?: number;
  before?: number;
}

export function searchTimeline(q: string, scope: SearchScope, limit = 1000): Promise<TimelineSearch> {
  const params = new URLSearchParams({ q, limit: String(limit) });
  if (scope.execution) params.set('execution', scope.execution);
  if (scope.source) params.set('source', scope.source);
  if (scope.after !== undefined) params.set('after', String(scope.after));
  if (scope.before !== undefined) params.set('before', String(scope.before));
  return getJson(`/api/timeline/search?${params}`, TimelineSearchSchema);
}

/** The most events of one execution read for a comparison. */
export const MAX_EXECUTION_EVENTS = 20_000;
const PAGE = 10_000;

/** The events of an imported execution with their payloads, in position order; `complete` false when there were more. */
export async function loadExecutionEvents(execution: string): Promise<{ events: AnalysisEvent[]; complete: boolean }> {
  const events: AnalysisEvent[] = [];
  let after = 0;
  for (;;) {
    const params = new URLSearchParams({ execution, after: String(after), limit: String(PAGE) });
    const page = await getJson(`/api/events?${params}`, EventPageSchema);
    for (const e of page.events) events.push({ id: e.id, type: e.type, source: e.source, process: e.process, vectorClock: e.vectorClock, causationId: e.causationId, data: e.data });
    if (page.next === null) return { events, complete: true };
    if (events.length >= MAX_EXECUTION_EVENTS) return { events: events.slice(0, MAX_EXECUTION_EVENTS), complete: false };
    after = page.next;
  }
}
