/** A replay's status, diff and events, as the server reports them. */
import type { StoredEvent } from '../../shared/event.js';
import { getJson } from '../api/client.js';

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
  state: 'running' | 'done' | 'failed';
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
  effects: number;
  notes?: string[];
  error: string | null;
  startedAt?: string;
  finishedAt?: string | null;
}

export const getReplay = (id: string) => getJson<ReplayStatus>(`/api/replays/${encodeURIComponent(id)}`);
export const getReplayEvents = async (id: string) => (await getJson<{ events: StoredEvent[] }>(`/api/replays/${encodeURIComponent(id)}/events?limit=10000`)).events;
