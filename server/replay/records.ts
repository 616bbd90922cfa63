/**
 * A replay's status as the store keeps it, and back: the fields the store sorts and selects by, and the rest as
 * one document (the request, the counts, the diff, the listed changes and the first recorded effects). Pure.
 */
import type { ReplayStatus } from '../../shared/api/replays.js';
import type { RecordedEffect } from '../runtime/node.js';
import type { ReplayRecord } from '../store/index.js';
import type { ReplayRequest } from './run.js';

/** The error of a replay whose server stopped while it ran. */
export const INTERRUPTED = 'interrupted by a restart: the server stopped while the replay was running';

/** What a replay leaves behind: its status, what was asked, and the effects its sinks recorded (the first ones). */
export interface SavedReplay {
  status: ReplayStatus;
  request: ReplayRequest;
  effects: RecordedEffect[];
}

type Details = Omit<ReplayStatus, 'id' | 'state' | 'startedAt' | 'finishedAt' | 'error'> & {
  request: ReplayRequest;
  recordedEffects: RecordedEffect[];
};

export function toRecord(replay: SavedReplay, process: string): ReplayRecord {
  const { id, state, startedAt, finishedAt, error, ...rest } = replay.status;
  const details: Details = { ...rest, request: replay.request, recordedEffects: replay.effects };
  return { id, process, state, startedAt, finishedAt, error, details: details as unknown as Record<string, unknown> };
}

export function fromRecord(record: ReplayRecord): SavedReplay {
  const { request, recordedEffects, partial, notes, flowName, startedBy, ...rest } = record.details as unknown as Partial<Pick<Details, 'partial' | 'notes' | 'flowName' | 'startedBy'>> &
    Omit<Details, 'partial' | 'notes' | 'flowName' | 'startedBy'>;
  const status: ReplayStatus = {
    id: record.id,
    state: record.state,
    ...rest,
    // Saved before replays kept who started them and the flow's name: not known.
    flowName: flowName ?? null,
    startedBy: startedBy ?? null,
    // Saved before replays could stop early, a record has no mark: only a finished one covered every input.
    partial: partial ?? record.state !== 'done',
    // Saved before replays had notes: it had none to tell.
    notes: notes ?? [],
    error: record.error,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
  };
  return { status, request, effects: recordedEffects ?? [] };
}

/** A replay that was running when its server stopped: failed, saying so. */
export const interrupted = (record: ReplayRecord, at: Date): ReplayRecord => ({
  ...record,
  state: 'failed',
  error: INTERRUPTED,
  finishedAt: at.toISOString(),
});
