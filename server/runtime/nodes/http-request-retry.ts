/**
 * When a webhook call is worth repeating and how long to wait first. Pure: the caller does the I/O.
 */

export type AttemptResult =
  | { kind: 'response'; status: number; retryAfter?: string | null }
  | { kind: 'timeout' }
  | { kind: 'network'; message: string };

export type Decision = 'delivered' | 'retry' | 'give_up';

/** Answers that may succeed when asked again: timeouts, throttling, server trouble. */
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

export function decide(result: AttemptResult): Decision {
  if (result.kind !== 'response') return 'retry';
  if (result.status >= 200 && result.status < 300) return 'delivered';
  return RETRYABLE_STATUS.has(result.status) ? 'retry' : 'give_up';
}

export const BACKOFF_BASE_MS = 200;
export const BACKOFF_MAX_MS = 10_000;

/**
 * The wait before retry number `retry` (1, 2, …): exponential from the base, capped, with ±20 % jitter so
 * many sinks failing at once do not retry in step. A `Retry-After` in seconds (within the cap) wins.
 */
export function backoffMs(retry: number, retryAfter?: string | null, random: () => number = Math.random): number {
  if (retryAfter !== undefined && retryAfter !== null && /^\d+$/.test(retryAfter.trim())) {
    const seconds = Number(retryAfter.trim());
    if (seconds * 1000 <= BACKOFF_MAX_MS) return seconds * 1000;
  }
  const exponential = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, retry - 1));
  return Math.round(exponential * (0.8 + 0.4 * random()));
}

/** The failure after the last attempt, as a stable code and a message naming what happened. */
export function failureOf(result: AttemptResult, attempts: number, url: string): { code: string; message: string } {
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  switch (result.kind) {
    case 'response':
      return { code: 'http_status', message: `${url} answered ${result.status} (after ${tries})` };
    case 'timeout':
      return { code: 'http_timeout', message: `${url} did not answer in time (after ${tries})` };
    case 'network':
      return { code: 'http_unreachable', message: `${url} could not be reached: ${result.message} (after ${tries})` };
  }
}
