/**
 * What every live stream of an app shares: the fan-out that writes them and the caps that count them. One per app,
 * set on each request (`AppEnv`); `sse.ts` opens streams through it.
 */
import { Fanout } from './fanout.js';
import { StreamCaps, type StreamCapLimits } from './stream-caps.js';

export interface SseHub {
  fanout: Fanout;
  caps: StreamCaps;
  /** What one client may fall behind by (bytes). */
  bufferBytes: number;
}

export function createSseHub(limits: StreamCapLimits & { streamBufferBytes: number }): SseHub {
  return { fanout: new Fanout(), caps: new StreamCaps(limits), bufferBytes: limits.streamBufferBytes };
}
