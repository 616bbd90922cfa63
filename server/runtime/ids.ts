/** Event ids: UUIDv7 for new events, a deterministic UUID-shaped hash for derived ones. */
import { hash, randomFillSync } from 'node:crypto';

const dashed = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;

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
  return dashed(bytes.toString('hex'));
}

/**
 * The id of the `index`-th event a node derives from an input: the same inputs always give the same id, so
 * re-processing after a crash is idempotent in the store. Shaped as a UUIDv8 (RFC 9562, custom).
 */
export function derivedEventId(flowId: string, nodeId: string, causationId: string, index: number | string): string {
  const digest = hash('sha256', `${flowId}\u0000${nodeId}\u0000${causationId}\u0000${index}`, 'buffer');
  digest[6] = 0x80 | ((digest[6] ?? 0) & 0x0f);
  digest[8] = 0x80 | ((digest[8] ?? 0) & 0x3f);
  return dashed(digest.toString('hex', 0, 16));
}
