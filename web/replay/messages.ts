/**
 * The messages of a replay's live stream (`GET /api/replays/:id/live`, server-sent events): `status` while it
 * runs, then one `done` with its final status (done, failed or cancelled), after which the server closes the
 * stream. Parsed defensively: anything that is not a status of a replay is ignored.
 */
import type { ReplayStatus } from './api.js';

export type ReplayMessage = { kind: 'status' | 'done'; status: ReplayStatus };

const STATES = new Set(['running', 'done', 'failed', 'cancelled']);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

export function parseReplayMessage(name: string, data: string): ReplayMessage | null {
  if (name !== 'status' && name !== 'done') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(value) || typeof value.id !== 'string' || !STATES.has(value.state as string)) return null;
  if (!isCount(value.input) || !isCount(value.processed) || !isRecord(value.diff)) return null;
  // A final message whose replay still runs, or a progress message of one that ended, is read as what it says.
  const kind = value.state === 'running' ? 'status' : 'done';
  return { kind, status: { changes: [], byNode: {}, ...value } as unknown as ReplayStatus };
}
