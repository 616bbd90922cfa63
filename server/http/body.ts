/**
 * Reading request bodies under a size limit: a Content-Length over the limit is refused before reading, a body
 * that grows past it while streaming is cut off; both answer 413. JSON must be valid UTF-8 and parse.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { ApiError, badRequest } from './errors.js';
import { nodeRequestOf } from './node-request.js';

export const tooLarge = (limit: number) =>
  new ApiError(413, 'payload_too_large', `the request body is larger than ${limit} bytes`, [{ path: '', message: `at most ${limit} bytes`, limit }]);

export async function readBody(c: Context, limit: number): Promise<Uint8Array> {
  const incoming = nodeRequestOf(c);
  const declared = incoming ? incoming.headers['content-length'] : c.req.header('content-length');
  if (declared !== undefined && /^\d+$/.test(declared.trim()) && Number(declared) > limit) throw tooLarge(limit);
  return incoming && !incoming.readableDidRead ? readNodeStream(incoming, limit) : readWebStream(c.req.raw.body, limit);
}

function readNodeStream(incoming: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => new NodeBodyReader(incoming, limit, resolve, reject).start());
}

/** One request body being read: its listeners are methods, so no closures are made per request. */
class NodeBodyReader {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly incoming: IncomingMessage,
    private readonly limit: number,
    private readonly resolve: (body: Uint8Array) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.onData = this.onData.bind(this);
    this.onEnd = this.onEnd.bind(this);
    this.onError = this.onError.bind(this);
  }

  start(): void {
    this.incoming.on('data', this.onData).once('end', this.onEnd).once('error', this.onError).once('aborted', this.onError);
  }

  private onData(chunk: Buffer): void {
    this.size += chunk.byteLength;
    if (this.size > this.limit) {
      // Stop reading; the rest of the body is drained so the connection can answer the 413.
      this.detach();
      this.reject(tooLarge(this.limit));
      this.incoming.resume();
      return;
    }
    this.chunks.push(chunk);
  }

  private onEnd(): void {
    this.detach();
    this.resolve(this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.size));
  }

  private onError(): void {
    this.detach();
    this.reject(badRequest('the request body could not be read'));
  }

  private detach(): void {
    this.incoming.off('data', this.onData).off('end', this.onEnd).off('error', this.onError).off('aborted', this.onError);
  }
}

async function readWebStream(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await reader.read();
    } catch {
      throw badRequest('the request body could not be read');
    }
    if (result.done) break;
    size += result.value.byteLength;
    if (size > limit) {
      void reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(result.value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The answer to a body that is not valid UTF-8 (also for bodies decoded elsewhere, as in a worker thread). */
export const notUtf8 = () => badRequest('the request body is not valid UTF-8', [{ path: '', message: 'not valid UTF-8' }], 'invalid_body');

export function decodeText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw notUtf8();
  }
}

export function parseJsonText(text: string): unknown {
  if (text.trim() === '') throw badRequest('the request body is empty; expected JSON', [{ path: '', message: 'expected JSON' }], 'invalid_json');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'invalid JSON';
    throw badRequest(`the request body is not valid JSON: ${reason}`, [{ path: '', message: reason }], 'invalid_json');
  }
}

export async function readJson(c: Context, limit: number): Promise<unknown> {
  return parseJsonText(decodeText(await readBody(c, limit)));
}

/** A body that may be empty (deploy's optional `{"revision": n}`). */
export async function readOptionalJson(c: Context, limit: number): Promise<unknown> {
  const text = decodeText(await readBody(c, limit));
  return text.trim() === '' ? undefined : parseJsonText(text);
}

/**
 * How deep a JSON value nests (objects and arrays), counted without recursion; stops counting past `max`.
 */
export function depthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}
