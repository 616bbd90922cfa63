/**
 * The timeline's server calls: compact event pages, full events, causality, ShiViz import, replays; each answer
 * parsed by its route's schema (shared/api). The reads take the execution the timeline shows: null for the live
 * events, else an imported execution's id (each import is read alone, never mixed with live events).
 */
import { CausalitySchema, EventPageSchema, type Causality, type EventPage } from '../../shared/api/events.js';
import { ImportAnswerSchema, ImportListSchema, ImportSummarySchema, type ImportAnswer, type ImportSummary } from '../../shared/api/imports.js';
import { ReplayStartedSchema, type ReplayRequestInput } from '../../shared/api/replays.js';
import type { StoredEvent } from '../../shared/event.js';
import { TimelineDensitySchema, type TimelineDensity } from '../../shared/timeline-density.js';
import { decodeTimelinePage, TimelinePageSchema, type TimelineRecord } from '../../shared/timeline-page.js';
import { ApiFailure, call, getJson, request, sendJson } from '../api/client.js';
import { StoredEventSchema } from '../../shared/event.js';

/** The execution read: null for the live events. */
export type ExecutionScope = string | null;

/** `query` with the execution's parameter when one is shown. */
const scoped = (query: URLSearchParams, execution: ExecutionScope | undefined): URLSearchParams => {
  if (execution) query.set('execution', execution);
  return query;
};

export interface RecordPage {
  records: TimelineRecord[];
  next: number | null;
}

/** One compact page: the newest events before `before` (newest first paging), or those after `after`. */
export async function loadRecordPage(
  params: ({ order: 'newest'; before?: number; limit: number; text?: string } | { order: 'oldest'; after?: number; limit: number; text?: string }) & { execution?: ExecutionScope },
): Promise<RecordPage> {
  const query = scoped(new URLSearchParams({ order: params.order, limit: String(params.limit) }), params.execution);
  if (params.order === 'newest' && params.before !== undefined) query.set('before', String(params.before));
  if (params.order === 'oldest' && params.after !== undefined) query.set('after', String(params.after));
  if (params.text) query.set('text', params.text);
  const page = await getJson(`/api/timeline/events?${query}`, TimelinePageSchema);
  return { records: decodeTimelinePage(page), next: page.next };
}

/** Positions of the events from `first` to `last` whose payload holds `text`. */
export async function searchPayloads(text: string, first: number, last: number, execution: ExecutionScope = null): Promise<Set<number>> {
  const found = new Set<number>();
  let after: number | null = first - 1;
  while (after !== null && after < last) {
    const page: RecordPage = await loadRecordPage({ order: 'oldest', after, limit: SEARCH_PAGE, text, execution });
    for (const r of page.records) if (r.position <= last) found.add(r.position);
    after = page.next;
  }
  return found;
}

const SEARCH_PAGE = 20_000;
const FULL_PAGE = 10_000;

/** The full stored events (with payloads) of the given positions, read in position order. */
export async function loadFullEvents(positions: readonly number[], execution: ExecutionScope = null): Promise<StoredEvent[]> {
  if (positions.length === 0) return [];
  const wanted = new Set(positions);
  // A loop, not Math.min(...positions): spreading 100,000+ arguments overflows the stack.
  let first = Infinity;
  let last = -Infinity;
  for (const p of positions) {
    if (p < first) first = p;
    if (p > last) last = p;
  }
  const out: StoredEvent[] = [];
  let after: number | null = first - 1;
  while (after !== null && after < last) {
    const page: EventPage = await getJson(`/api/events?${scoped(new URLSearchParams({ after: String(after), limit: String(FULL_PAGE) }), execution)}`, EventPageSchema);
    for (const e of page.events) if (wanted.has(e.position)) out.push(e);
    after = page.next;
  }
  return out;
}

/** How many events of a correlation chain the inspector reads. */
export const CHAIN_LIMIT = 500;

/** The first events of a correlation chain (its root and what it caused), over the whole store. */
export async function loadChain(correlationId: string, execution: ExecutionScope = null): Promise<{ records: TimelineRecord[]; complete: boolean }> {
  const query = scoped(new URLSearchParams({ correlationId, limit: String(CHAIN_LIMIT) }), execution);
  const page = await getJson(`/api/timeline/events?${query}`, TimelinePageSchema);
  return { records: decodeTimelinePage(page), complete: page.next === null };
}

/** How many past and future events the inspector lists. */
export const CAUSALITY_LIST = 50;

export const getCausality = (id: string, execution: ExecutionScope = null): Promise<Causality> =>
  getJson(`/api/events/${encodeURIComponent(id)}/causality?${scoped(new URLSearchParams({ limit: String(CAUSALITY_LIST) }), execution)}`, CausalitySchema);

export async function importShiViz(text: string, params: { name: string; regex?: string; delimiter?: string; form?: boolean; strict?: boolean }): Promise<ImportAnswer> {
  const query = new URLSearchParams({ name: params.name });
  if (params.strict) query.set('strict', 'true');
  if (params.form) query.set('form', 'true');
  else {
    if (params.regex) query.set('regex', params.regex);
    if (params.delimiter) query.set('delimiter', params.delimiter);
  }
  return (await call(`/api/imports/shiviz?${query}`, ImportAnswerSchema, { method: 'POST', body: text, headers: { 'content-type': 'text/plain' } })).body;
}

export const startReplay = async (body: ReplayRequestInput): Promise<string> => (await sendJson('POST', '/api/replays', ReplayStartedSchema, body)).body.id;

/** Events per process and slice of time over the whole store, counted by the server: the overview. */
export const loadDensity = (buckets: number): Promise<TimelineDensity> => getJson(`/api/timeline/density?buckets=${buckets}`, TimelineDensitySchema);

/** The imported logs, newest first. */
export const listImports = async (): Promise<ImportSummary[]> => (await getJson('/api/imports', ImportListSchema)).imports;

export const renameImport = async (id: string, name: string): Promise<ImportSummary> => (await sendJson('PUT', `/api/imports/${encodeURIComponent(id)}/name`, ImportSummarySchema, { name }, { 'content-type': 'application/json' })).body;

/** The stored event with this id in the execution shown (a 404 when it holds none). */
export const getEvent = (id: string, execution: ExecutionScope = null): Promise<StoredEvent> =>
  getJson(`/api/events/${encodeURIComponent(id)}?${scoped(new URLSearchParams(), execution)}`, StoredEventSchema);

/**
 * The imported execution that holds an event an import stored (`shiviz://<name>#…`), newest import first; null when
 * none does or the id is not an imported one. The same log imported twice holds the same ids: the newest wins.
 */
export async function executionHolding(id: string): Promise<string | null> {
  const hash = id.indexOf('#');
  if (!id.startsWith('shiviz://') || hash < 0) return null;
  const source = id.slice(0, hash);
  for (const imported of (await listImports()).filter((i) => i.source === source)) {
    for (const execution of imported.executions) {
      try {
        await getEvent(id, execution.id);
        return execution.id;
      } catch (error) {
        if (!(error instanceof ApiFailure && error.status === 404)) throw error;
      }
    }
  }
  return null;
}

export async function deleteImport(id: string): Promise<void> {
  await request(`/api/imports/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
