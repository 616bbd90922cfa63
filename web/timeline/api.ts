/**
 * The timeline's server calls: compact event pages, full events, causality, ShiViz import, replays; each answer
 * parsed by its route's schema (shared/api).
 */
import { CausalitySchema, EventPageSchema, type Causality, type EventPage } from '../../shared/api/events.js';
import { ImportAnswerSchema, type ImportAnswer } from '../../shared/api/imports.js';
import { ReplayStartedSchema, type ReplayRequestInput } from '../../shared/api/replays.js';
import type { StoredEvent } from '../../shared/event.js';
import { TimelineDensitySchema, type TimelineDensity } from '../../shared/timeline-density.js';
import { decodeTimelinePage, TimelinePageSchema, type TimelineRecord } from '../../shared/timeline-page.js';
import { call, getJson, sendJson } from '../api/client.js';

export interface RecordPage {
  records: TimelineRecord[];
  next: number | null;
}

/** One compact page: the newest events before `before` (newest first paging), or those after `after`. */
export async function loadRecordPage(params: { order: 'newest'; before?: number; limit: number; text?: string } | { order: 'oldest'; after?: number; limit: number; text?: string }): Promise<RecordPage> {
  const query = new URLSearchParams({ order: params.order, limit: String(params.limit) });
  if (params.order === 'newest' && params.before !== undefined) query.set('before', String(params.before));
  if (params.order === 'oldest' && params.after !== undefined) query.set('after', String(params.after));
  if (params.text) query.set('text', params.text);
  const page = await getJson(`/api/timeline/events?${query}`, TimelinePageSchema);
  return { records: decodeTimelinePage(page), next: page.next };
}

/** Positions of the events from `first` to `last` whose payload holds `text`. */
export async function searchPayloads(text: string, first: number, last: number): Promise<Set<number>> {
  const found = new Set<number>();
  let after: number | null = first - 1;
  while (after !== null && after < last) {
    const page: RecordPage = await loadRecordPage({ order: 'oldest', after, limit: SEARCH_PAGE, text });
    for (const r of page.records) if (r.position <= last) found.add(r.position);
    after = page.next;
  }
  return found;
}

const SEARCH_PAGE = 20_000;
const FULL_PAGE = 10_000;

/** The full stored events (with payloads) of the given positions, read in position order. */
export async function loadFullEvents(positions: readonly number[]): Promise<StoredEvent[]> {
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
    const page: EventPage = await getJson(`/api/events?after=${after}&limit=${FULL_PAGE}`, EventPageSchema);
    for (const e of page.events) if (wanted.has(e.position)) out.push(e);
    after = page.next;
  }
  return out;
}

/** How many events of a correlation chain the inspector reads. */
export const CHAIN_LIMIT = 500;

/** The first events of a correlation chain (its root and what it caused), over the whole store. */
export async function loadChain(correlationId: string): Promise<{ records: TimelineRecord[]; complete: boolean }> {
  const query = new URLSearchParams({ correlationId, limit: String(CHAIN_LIMIT) });
  const page = await getJson(`/api/timeline/events?${query}`, TimelinePageSchema);
  return { records: decodeTimelinePage(page), complete: page.next === null };
}

/** How many past and future events the inspector lists. */
export const CAUSALITY_LIST = 50;

export const getCausality = (id: string): Promise<Causality> => getJson(`/api/events/${encodeURIComponent(id)}/causality?limit=${CAUSALITY_LIST}`, CausalitySchema);

export async function importShiViz(text: string, params: { name: string; regex?: string; delimiter?: string; form?: boolean }): Promise<ImportAnswer> {
  const query = new URLSearchParams({ name: params.name });
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
