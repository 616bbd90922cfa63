/**
 * Caps on open live streams: so many per owner (a token's name, or the client's address when there are no tokens)
 * and so many in all. `admit` counts a stream in and gives back its release, or throws the answer: 429
 * `too_many_streams` when the owner has its share open, 503 `streams_full` when the server has.
 */
import { ApiError } from './errors.js';

export interface StreamCapLimits {
  maxStreams: number;
  maxStreamsPerClient: number;
}

/** Seconds a refused client is asked to wait. */
const RETRY_AFTER_S = '5';

export class StreamCaps {
  private readonly perOwner = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: StreamCapLimits) {}

  /** Streams open in all. */
  get open(): number {
    return this.total;
  }

  /** Counts one stream of `owner` in; the function returned counts it out (once, however often called). */
  admit(owner: string, ownerLabel: string): () => void {
    const mine = this.perOwner.get(owner) ?? 0;
    if (mine >= this.limits.maxStreamsPerClient) {
      throw new ApiError(
        429,
        'too_many_streams',
        `${ownerLabel} has ${mine} live streams open, as many as one client may (http.maxStreamsPerClient); close one first`,
        [{ path: '', message: 'too many open live streams', open: mine, limit: this.limits.maxStreamsPerClient }],
        { 'Retry-After': RETRY_AFTER_S },
      );
    }
    if (this.total >= this.limits.maxStreams) {
      throw new ApiError(
        503,
        'streams_full',
        `the server has ${this.total} live streams open, as many as it takes (http.maxStreams); try again later`,
        [{ path: '', message: 'the server takes no more live streams', open: this.total, limit: this.limits.maxStreams }],
        { 'Retry-After': RETRY_AFTER_S },
      );
    }
    this.perOwner.set(owner, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perOwner.get(owner) ?? 1) - 1;
      if (left > 0) this.perOwner.set(owner, left);
      else this.perOwner.delete(owner);
    };
  }
}
