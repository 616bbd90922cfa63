/**
 * Server-sent event streams, many at once. A message is framed once (`sseFrame`) and the same bytes may go to every
 * stream that wants them. Each stream writes through an outlet of the app's fan-out: a client is written to only
 * when its socket takes more, what it has not taken waits up to `http.streamBufferBytes`, and a client further
 * behind gets a last `overflow` message (with the id to resume from, where the stream resumes) and the stream closes.
 * Streams are counted against caps per client and in all (429 / 503 beyond). A heartbeat comment goes out while
 * idle; a stream closes when the client goes away or the server shuts down. `start` sets up what feeds the stream
 * and returns its clean-up.
 */
import type { ServerResponse } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { OverflowMessage } from '../../shared/api/stream.js';
import type { AppEnv } from './deps.js';
import type { Outlet, Sink, Tape } from './fanout.js';
import type { SseHub } from './sse-hub.js';

export interface SseOptions {
  heartbeatMs: number;
  shutdown?: AbortSignal | undefined;
  onError?: (error: unknown) => void;
  /** The route resumes after `Last-Event-ID`: a client that fell behind is told to reconnect with it. */
  resumable?: boolean;
}

export interface SseChannel {
  /** Sends one message, framed for this stream alone; resolves once it was handed to the client's socket. */
  send(event: string, data: unknown, id?: string): Promise<void>;
  /** Sends a message framed once by `sseFrame` (shared with other streams); `id` is its SSE id, if it has one. */
  sendFrame(frame: Uint8Array, id?: string): void;
  /**
   * Sends what is appended to `tape` from now on, after what was sent on this stream alone. Paused, the stream keeps
   * its place (what is appended meanwhile counts against its buffer) and sends nothing of the tape until `resume`.
   */
  follow(tape: Tape, options?: { paused?: boolean }): void;
  resume(): void;
  /** Bytes sent on this stream alone (not from a tape) and not yet handed to the client's socket. */
  readonly queuedBytes: number;
  /** How many bytes may wait for the client before it is told it fell behind. */
  readonly bufferBytes: number;
  /** Resolves once everything sent so far was handed to the client's socket (or the stream closed). */
  drained(): Promise<void>;
  /** Tells the client it fell behind and closes the stream. */
  overflow(): void;
  /** Ends the stream from the server side, once what was sent has been handed over. */
  end(): void;
  /** Closed or ending: nothing sent now reaches the client. */
  readonly closed: boolean;
}

/** How long a client told it fell behind has to take that message before its connection is cut (ms). */
export const OVERFLOW_GRACE_MS = 30_000;
/** How soon a browser's EventSource reconnects after an overflow (ms). */
const RECONNECT_MS = 1000;

const CONNECTED = Buffer.from(': connected\n\n');
const HEARTBEAT = Buffer.from(': heartbeat\n\n');

/** One SSE message as bytes; JSON data is one `data:` line, other text one line per line. */
export function sseFrame(event: string, data: string, id?: string): Buffer {
  if (/[\r\n]/.test(event) || (id !== undefined && /[\r\n]/.test(id))) throw new Error('an SSE event name or id must be a single line');
  let text = id === undefined ? '' : `id: ${id}\n`;
  text += `event: ${event}\n`;
  text += /[\r\n]/.test(data) ? data.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`).join('') : `data: ${data}\n`;
  return Buffer.from(`${text}\n`);
}

/** The last message of a stream whose client fell behind. */
export function overflowFrame(bufferBytes: number, lastEventId: string | undefined, resumable: boolean): Buffer {
  const behind = `this client fell more than ${bufferBytes} bytes behind the stream and it was closed`;
  const message = !resumable
    ? `${behind}; reconnect to follow it again`
    : lastEventId !== undefined
      ? `${behind}; reconnect with Last-Event-ID: ${lastEventId} to resume after the last event received`
      : `${behind} before any event was received; reconnect as before to resume`;
  const data = JSON.stringify({ code: 'stream_overflow', message, lastEventId: lastEventId ?? null } satisfies OverflowMessage);
  return Buffer.concat([Buffer.from(`retry: ${RECONNECT_MS}\n`), sseFrame('overflow', data)]);
}

/**
 * Writes straight to the Node response, once its head is out (the response stream's first read follows it). The
 * socket is corked around the writes: a round's chunks go in one `writev`, made now rather than on the next tick
 * (as an uncorked response would), so the fan-out's round counts its cost.
 */
function nodeSink(outgoing: ServerResponse, outlet: () => Outlet): Sink {
  outgoing.on('drain', () => outlet().wake());
  return {
    get ready() {
      return outgoing.headersSent && !outgoing.writableNeedDrain && !outgoing.destroyed;
    },
    write(chunks) {
      outgoing.cork();
      for (const chunk of chunks) outgoing.write(chunk);
      outgoing.uncork();
    },
  };
}

/** Enqueues into the response stream when its reader waits for a chunk (outside Node's server). */
function streamSink(controller: () => ReadableStreamDefaultController<Uint8Array>, reading: { waits: boolean }): Sink {
  return {
    get ready() {
      return reading.waits;
    },
    write(chunks) {
      reading.waits = false;
      controller().enqueue(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    },
  };
}

/** One listener on the shutdown signal for all the streams it ends (a listener each would be thousands). */
const shutdownListeners = new WeakMap<AbortSignal, Set<() => void>>();

function onShutdown(signal: AbortSignal | undefined, listener: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    listener();
    return () => undefined;
  }
  let listeners = shutdownListeners.get(signal);
  if (!listeners) {
    const all = new Set<() => void>();
    signal.addEventListener('abort', () => [...all].forEach((l) => l()), { once: true });
    shutdownListeners.set(signal, (listeners = all));
  }
  listeners.add(listener);
  const mine = listeners;
  return () => mine.delete(listener);
}

/** Whom a stream counts against: the token's name, or the client's address without tokens. */
function ownerOf(c: Context<AppEnv>): { key: string; label: string } {
  const name = c.get('principal')?.name;
  if (name) return { key: `token:${name}`, label: `the token "${name}"` };
  const address = (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown';
  return { key: `address:${address}`, label: `the client ${address}` };
}

export function sseResponse(c: Context<AppEnv>, options: SseOptions, start: (channel: SseChannel) => Promise<() => void> | (() => void)): Response {
  const hub = c.get('sse');
  const owner = ownerOf(c);
  const release = hub.caps.admit(owner.key, owner.label);
  const stream = new SseStream(hub, options, release, (c.env as Partial<HttpBindings> | undefined)?.outgoing);
  void (async () => {
    try {
      stream.adopt(await start(stream));
    } catch (error) {
      options.onError?.(error);
      stream.close();
    }
  })();
  c.header('Content-Type', 'text/event-stream');
  c.header('Cache-Control', 'no-cache, no-transform');
  c.header('Connection', 'keep-alive');
  c.header('X-Accel-Buffering', 'no');
  c.header('Transfer-Encoding', 'chunked');
  return c.body(stream.body);
}

/** One open stream, from its greeting to its end: its outlet, heartbeat, place in the caps and its feed's clean-up. */
class SseStream implements SseChannel {
  readonly body: ReadableStream<Uint8Array>;
  readonly bufferBytes: number;
  private state: 'open' | 'ending' | 'closed' = 'open';
  private cleanup: (() => void) | undefined;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private readonly reading = { waits: false };
  private readonly outlet: Outlet;
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private readonly offShutdown: () => void;

  constructor(
    hub: SseHub,
    private readonly options: SseOptions,
    private readonly release: () => void,
    private readonly outgoing: ServerResponse | undefined,
  ) {
    this.bufferBytes = hub.bufferBytes;
    this.body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => void (this.controller = controller),
        // The response reads: its head is out, or (outside Node's server) the client took what it had.
        pull: () => {
          this.reading.waits = true;
          this.outlet.wake();
        },
        cancel: () => this.finish(false),
      },
      { highWaterMark: 0 },
    );
    const sink = outgoing ? nodeSink(outgoing, () => this.outlet) : streamSink(() => this.controller, this.reading);
    this.outlet = hub.fanout.open(sink, { maxQueuedBytes: hub.bufferBytes, onOverflow: (lastMark) => this.fellBehind(sink, lastMark) });
    this.outlet.push(CONNECTED);
    this.heartbeat = setInterval(() => this.outlet.queuedBytes === 0 && this.outlet.push(HEARTBEAT), options.heartbeatMs).unref();
    this.offShutdown = onShutdown(options.shutdown, this.end);
  }

  send(event: string, data: unknown, id?: string): Promise<void> {
    if (this.state !== 'open' || !this.outlet.push(sseFrame(event, JSON.stringify(data), id), id)) return Promise.resolve();
    return this.outlet.drained();
  }

  sendFrame(frame: Uint8Array, id?: string): void {
    if (this.state === 'open') this.outlet.push(frame, id);
  }

  follow(tape: Tape, options?: { paused?: boolean }): void {
    this.outlet.follow(tape, options);
  }

  resume(): void {
    this.outlet.resume();
  }

  get queuedBytes(): number {
    return this.outlet.ownBytes;
  }

  drained(): Promise<void> {
    return this.outlet.drained();
  }

  overflow(): void {
    this.outlet.overflow();
  }

  readonly end = (): void => {
    if (this.state !== 'open') return;
    this.state = 'ending';
    void this.outlet.drained().then(() => this.finish(true));
  };

  get closed(): boolean {
    return this.state !== 'open';
  }

  /** Takes the feed's clean-up: run at the end, or now if the stream ended while the feed was being set up. */
  adopt(cleanup: () => void): void {
    if (this.state === 'closed') cleanup();
    else this.cleanup = cleanup;
  }

  /** Ends the stream now, dropping what waits. */
  close(): void {
    this.finish(true);
  }

  private fellBehind(sink: Sink, lastMark: string | undefined): void {
    // Past the socket's back-pressure on purpose: one small message, then the end.
    if (this.state !== 'closed' && (!this.outgoing || this.outgoing.headersSent)) {
      sink.write([overflowFrame(this.bufferBytes, lastMark, this.options.resumable ?? false)]);
    }
    this.finish(true);
    // A client that does not read even that is cut off.
    const outgoing = this.outgoing;
    if (outgoing) setTimeout(() => outgoing.writableFinished || outgoing.destroy(), OVERFLOW_GRACE_MS).unref();
  }

  /** The one way a stream ends, whoever ends it. */
  private finish(closeBody: boolean): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearInterval(this.heartbeat);
    this.offShutdown();
    this.release();
    this.outlet.close();
    try {
      this.cleanup?.();
    } catch (error) {
      this.options.onError?.(error);
    }
    if (!closeBody) return;
    try {
      this.controller.close();
    } catch {
      // already closed, or cancelled by the client
    }
  }
}
