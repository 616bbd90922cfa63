/**
 * Server-sent event streams that end cleanly: a heartbeat comment while idle, and the stream closes when the
 * client goes away or the server shuts down. `start` sets up what feeds the stream and returns its clean-up.
 */
import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';

export interface SseOptions {
  heartbeatMs: number;
  shutdown?: AbortSignal | undefined;
  onError?: (error: unknown) => void;
}

export interface SseChannel {
  /** Sends one message; resolves when written (the feed waits: a slow client slows its own feed only). */
  send(event: string, data: unknown, id?: string): Promise<void>;
  /** Ends the stream from the server side. */
  end(): void;
  readonly closed: boolean;
}

export function sseResponse(c: Context, options: SseOptions, start: (channel: SseChannel) => Promise<() => void> | (() => void)): Response {
  c.header('Cache-Control', 'no-cache, no-transform');
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(
    c,
    async (stream: SSEStreamingApi) => {
      let closed = false;
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const end = () => {
        if (closed) return;
        closed = true;
        finish();
      };
      stream.onAbort(end);
      options.shutdown?.addEventListener('abort', end, { once: true });
      if (options.shutdown?.aborted) end();

      const channel: SseChannel = {
        async send(event, data, id) {
          if (closed) return;
          try {
            await stream.writeSSE({ event, data: JSON.stringify(data), ...(id !== undefined ? { id } : {}) });
          } catch {
            end();
          }
        },
        end,
        get closed() {
          return closed;
        },
      };
      await stream.write(': connected\n\n').catch(end);
      const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n').catch(end), options.heartbeatMs);
      let cleanup: (() => void) | undefined;
      try {
        cleanup = await start(channel);
        await finished;
      } catch (error) {
        options.onError?.(error);
      } finally {
        clearInterval(heartbeat);
        options.shutdown?.removeEventListener('abort', end);
        cleanup?.();
        await stream.close().catch(() => undefined);
      }
    },
    async (error) => options.onError?.(error),
  );
}
