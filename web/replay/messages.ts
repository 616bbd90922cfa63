/**
 * The messages of a replay's live stream (`GET /api/replays/:id/live`, server-sent events): `status` while it
 * runs, then one `done` with its final status (done, failed or cancelled), after which the server closes the
 * stream. Each is parsed by the replay status schema (shared/api/replays.ts); anything else is ignored.
 */
import { ReplayStatusSchema, type ReplayStatus } from '../../shared/api/replays.js';

export type ReplayMessage = { kind: 'status' | 'done'; status: ReplayStatus };

export function parseReplayMessage(name: string, data: string): ReplayMessage | null {
  if (name !== 'status' && name !== 'done') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = ReplayStatusSchema.safeParse(value);
  if (!parsed.success) return null;
  // A final message whose replay still runs, or a progress message of one that ended, is read as what it says.
  return { kind: parsed.data.state === 'running' ? 'status' : 'done', status: parsed.data };
}
