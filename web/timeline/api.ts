/** The timeline's server calls: compact event pages, full events, causality, ShiViz import, replays. */
import type { StoredEvent } from '../../shared/event.js';
import { decodeTimelinePage, type TimelinePage, type TimelineRecord } from '../../shared/timeline-page.js';
import { getJson, request, sendJson } from '../api/client.js';

export interface CausalityAnswer {
  event: StoredEvent;
  past: StoredEvent[];
  future: StoredEvent[];
  pastCount: number;
  futureCount: number;
  concurrent: number;
}

export interface ImportAnswer {
  imported: number;
  events: number;
  source: string;
  processes: string[];
  executions: string[];
}

export interface ReplayBody {
  flowId: string;
  revision?: number;
  from?: string;
  to?: string;
  filter?: { type?: string; source?: string; process?: string; correlationId?: string };
  mode: 'dry-run' | 'live';
  speed: 'max' | number;
}

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
  const page = await getJson<TimelinePage>(`/api/timeline/events?${query}`);
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
    const page: { events: StoredEvent[]; next: number | null } = await getJson(`/api/events?after=${after}&limit=${FULL_PAGE}`);
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
  const page = await getJson<TimelinePage>(`/api/timeline/events?${query}`);
  return { records: decodeTimelinePage(page), complete: page.next === null };
}

/** How many past and future events the inspector lists. */
export const CAUSALITY_LIST = 50;

export const getCausality = (id: string) => getJson<CausalityAnswer>(`/api/events/${encodeURIComponent(id)}/causality?limit=${CAUSALITY_LIST}`);

export async function importShiViz(text: string, params: { name: string; regex?: string; delimiter?: string; form?: boolean }): Promise<ImportAnswer> {
  const query = new URLSearchParams({ name: params.name });
  if (params.form) query.set('form', 'true');
  else {
    if (params.regex) query.set('regex', params.regex);
    if (params.delimiter) query.set('delimiter', params.delimiter);
  }
  const answer = await request<ImportAnswer>(`/api/imports/shiviz?${query}`, { method: 'POST', body: text, headers: { 'content-type': 'text/plain' } });
  return answer.body;
}

export const startReplay = async (body: ReplayBody): Promise<string> => (await sendJson<{ id: string }>('POST', '/api/replays', body)).body.id;
