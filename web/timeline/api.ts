/** The timeline's server calls: events (paged), causality, ShiViz import, replays. */
import type { StoredEvent } from '../../shared/event.js';
import { getJson, request, sendJson } from '../api/client.js';

export interface CausalityAnswer {
  event: StoredEvent;
  past: StoredEvent[];
  future: StoredEvent[];
  pastCount?: number;
  futureCount?: number;
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

const PAGE = 10_000;

/** Loads stored events in position order, page by page, up to `max`; `onPage` sees each page as it arrives. */
export async function loadEvents(max: number, onPage?: (events: StoredEvent[]) => void): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  let after = 0;
  while (all.length < max) {
    const limit = Math.min(PAGE, max - all.length);
    const page = await getJson<{ events: StoredEvent[]; next: number | null }>(`/api/events?after=${after}&limit=${limit}`);
    all.push(...page.events);
    onPage?.(page.events);
    if (page.next === null || page.events.length === 0) break;
    after = page.next;
  }
  return all;
}

export const getCausality = (id: string) => getJson<CausalityAnswer>(`/api/events/${encodeURIComponent(id)}/causality?limit=1000`);

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
