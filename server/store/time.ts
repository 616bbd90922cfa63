/**
 * Event times are RFC 3339 text with any offset and any number of fraction digits, which does not sort as text.
 * `timeKey` turns one into a key that does: UTC, nine fraction digits, `Z` (`2026-01-01T10:00:00.500000000Z`).
 */
import { StoreError } from './types.js';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Keys of recent times: events come in runs of a few distinct times (a batch of inputs and the events derived
 * from them), so a small cache, emptied when full, answers most calls.
 */
const recentKeys = new Map<string, string | null>();
const RECENT_KEYS = 256;

/** The sortable key of an RFC 3339 time, or null when the text is not one. */
export function timeKey(time: string): string | null {
  let key = recentKeys.get(time);
  if (key === undefined) {
    key = parseTimeKey(time);
    if (recentKeys.size >= RECENT_KEYS) recentKeys.clear();
    if (typeof time === 'string') recentKeys.set(time, key);
  }
  return key;
}

/** The number written by the digits from `start` to `end` (exclusive), or -1 if any is not a digit. */
function digits(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const daysIn = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;

/**
 * The key of a time as `Date.prototype.toISOString` writes it (`2026-01-01T10:00:00.500Z`, most events' times),
 * read character by character: already UTC, it only needs six more fraction digits. Undefined for any other form.
 */
function canonicalKey(time: string): string | undefined {
  if (time.length !== 24 || time[4] !== '-' || time[7] !== '-' || time[10] !== 'T' || time[13] !== ':' || time[16] !== ':' || time[19] !== '.' || time[23] !== 'Z') {
    return undefined;
  }
  const year = digits(time, 0, 4);
  const month = digits(time, 5, 7);
  const day = digits(time, 8, 10);
  const hour = digits(time, 11, 13);
  const minute = digits(time, 14, 16);
  const second = digits(time, 17, 19);
  if (year < 0 || digits(time, 20, 23) < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  return `${time.slice(0, 23)}000000Z`;
}

function parseTimeKey(time: string): string | null {
  if (typeof time === 'string') {
    const fast = canonicalKey(time);
    if (fast !== undefined) return fast;
  }
  const m = typeof time === 'string' ? RFC3339.exec(time) : null;
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCDate() !== day) return null; // 2026-02-30 and the like
  date.setUTCHours(hour, minute, second, 0);
  if (m[9] !== undefined) {
    const offsetMinutes = Number(m[10]) * 60 + Number(m[11]);
    date.setTime(date.getTime() - (m[9] === '+' ? 1 : -1) * offsetMinutes * 60_000);
  }
  const fraction = ((m[7] ?? '') + '000000000').slice(0, 9);
  return `${date.toISOString().slice(0, 19)}.${fraction}Z`;
}

/** `timeKey` for a filter bound: a bad bound is the caller's mistake, so it throws a StoreError `invalid_filter`. */
export function boundKey(name: 'from' | 'to', time: string): string {
  const key = timeKey(time);
  if (key === null) throw new StoreError('invalid_filter', `${name} must be an RFC 3339 time, got ${JSON.stringify(time)}`, { field: name });
  return key;
}
