/**
 * Replays as the store keeps them, so a replay's result outlives the server process that ran it. The store knows
 * the fields it sorts and selects by; the rest of what a replay reports (request, counts, diff, listed changes,
 * recorded effects) is one JSON document it keeps as given.
 */
export type ReplayRecordState = 'running' | 'done' | 'failed' | 'cancelled';

export interface ReplayRecord {
  id: string;
  /** The runtime process that runs it: several processes may share one PostgreSQL store. */
  process: string;
  state: ReplayRecordState;
  /** RFC 3339, UTC (`toISOString()`): the list sorts by it. */
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  details: Record<string, unknown>;
}

export interface ReplayListOptions {
  /** Default 100, at most 1000. */
  limit?: number;
  state?: ReplayRecordState;
  process?: string;
}

export interface ReplayRepository {
  /** Inserts the record, or replaces the one with the same id (which keeps its place in the list). */
  save(record: ReplayRecord): Promise<void>;
  get(id: string): Promise<ReplayRecord | null>;
  /** Newest first: by start time, then by when the record was first saved. */
  list(options?: ReplayListOptions): Promise<ReplayRecord[]>;
}

export const REPLAY_LIST_LIMIT = 100;
export const MAX_REPLAY_LIST_LIMIT = 1000;

export const replayListLimit = (limit: number | undefined): number =>
  Math.max(0, Math.min(MAX_REPLAY_LIST_LIMIT, Math.floor(limit ?? REPLAY_LIST_LIMIT)));
