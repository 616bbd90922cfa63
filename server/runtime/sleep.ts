/** Waiting that stops early: a retry's back-off or a replay's pacing, cut short when the work is stopped. */
import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`, or until `signal` aborts; never rejects. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}
