/** Event ids: UUIDv7 for new events, a deterministic UUID-shaped hash for derived ones. */
import { hash, randomFillSync } from 'node:crypto';

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
/** Where each of the 16 bytes' two digits go in the 36 characters of `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`. */
const DIGIT_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const text = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');

/** The 16 bytes in UUID form, written as one flat string (not a string built of slices, as concatenation gives). */
function uuidText(bytes: Uint8Array): string {
  for (let i = 0; i < 16; i++) {
    const b = bytes[i]!;
    text[DIGIT_AT[i]!] = HEX_DIGITS[b >> 4]!;
    text[DIGIT_AT[i]! + 1] = HEX_DIGITS[b & 0x0f]!;
  }
  return text.toString('latin1');
}

/** Random bytes drawn in bulk: one system call per 256 ids. */
const pool = Buffer.alloc(16 * 256);
let pooled = pool.length;

/** A time-ordered UUIDv7 (RFC 9562). */
export function newEventId(now = Date.now()): string {
  if (pooled === pool.length) {
    randomFillSync(pool);
    pooled = 0;
  }
  // Written in place: each 16 bytes of the pool are used once.
  const bytes = pool.subarray(pooled, (pooled += 16));
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  return uuidText(bytes);
}

/**
 * The id of the `index`-th event a node derives from an input: the same inputs always give the same id, so
 * re-processing after a crash is idempotent in the store. The input is named by its identity, source and id: two
 * sources may use the same id, and their events' derived ones must differ (the source's length delimits it). Shaped
 * as a UUIDv8 (RFC 9562, custom).
 */
export function derivedEventId(flowId: string, nodeId: string, cause: { source: string; id: string }, index: number | string): string {
  const digest = hash('sha256', `${flowId}\u0000${nodeId}\u0000${cause.source.length}:${cause.source}\u0000${cause.id}\u0000${index}`, 'buffer');
  digest[6] = 0x80 | ((digest[6] ?? 0) & 0x0f);
  digest[8] = 0x80 | ((digest[8] ?? 0) & 0x3f);
  return uuidText(digest);
}
