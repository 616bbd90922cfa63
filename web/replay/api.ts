/** A replay's status, diff and events, as the server reports them. */
import type { StoredEvent } from '../../shared/event.js';
import { getJson, sendJson } from '../api/client.js';

export interface DiffSummary {
  identical: number;
  changed: number;
  missing: number;
  extra: number;
}

export interface OutputChange {
  status: 'changed' | 'missing' | 'extra';
  nodeId: string;
  causationId: string;
  index: number;
  originalId: string | null;
  replayId: string | null;
  fields: { path: string; original?: unknown; replayed?: unknown }[];
}

export interface ReplayStatus {
  id: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  flowId: string;
  revision: number | null;
  mode: 'dry-run' | 'live';
  speed: 'max' | number;
  from: string | null;
  to: string | null;
  filter?: { type?: string; source?: string; process?: string; correlationId?: string } | null;
  input: number;
  processed: number;
  diff: DiffSummary;
  byNode: Record<string, DiffSummary>;
  changes: OutputChange[];
  changesTruncated: boolean;
  /** The diff covers only the inputs handled before the replay stopped (cancelled or failed). */
  partial?: boolean;
  effects: number;
  notes?: string[];
  error: string | null;
  startedAt?: string;
  finishedAt?: string | null;
}

export const getReplay = (id: string) => getJson<ReplayStatus>(`/api/replays/${encodeURIComponent(id)}`);
export const getReplayEvents = async (id: string) => (await getJson<{ events: StoredEvent[] }>(`/api/replays/${encodeURIComponent(id)}/events?limit=10000`)).events;
/** Stops a running replay; resolves with its final status (409 once it has ended). */
export const cancelReplay = async (id: string) => (await sendJson<ReplayStatus>('POST', `/api/replays/${encodeURIComponent(id)}/cancel`)).body;
