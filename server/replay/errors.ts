/**
 * What the replays refuse, as values with a code: starting one beyond the caps (`too_many_replays`), cancelling one
 * that has ended (`replay_ended`) or that another server process runs (`replay_elsewhere`). The HTTP layer answers
 * them by code (http/errors.ts).
 */
export type ReplayErrorCode = 'too_many_replays' | 'replay_ended' | 'replay_elsewhere';

export class ReplayError extends Error {
  constructor(
    readonly code: ReplayErrorCode,
    message: string,
    /** Counts and limits a client may act on (`running`, `limit`, …). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ReplayError';
  }
}

export const isReplayError = (e: unknown, code?: ReplayErrorCode): e is ReplayError =>
  e instanceof ReplayError && (code === undefined || e.code === code);
