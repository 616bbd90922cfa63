/**
 * The Node request behind a Hono context, when @hono/node-server serves it. Reading the body and headers from it
 * spares building a web `Request` (with its stream, abort signal and `Headers`) for every request — on the publish
 * path that cost more than the rest of the work. Contexts made otherwise (`app.request` in tests) have none.
 */
import { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

export function nodeRequestOf(c: Context): IncomingMessage | null {
  const env: unknown = c.env;
  if (typeof env !== 'object' || env === null || !('incoming' in env)) return null;
  const incoming = (env as { incoming: unknown }).incoming;
  return incoming instanceof IncomingMessage ? incoming : null;
}

/** Every request header by lower-case name, several values of one name joined with ", " as `Headers` does. */
export function headersOf(c: Context): Record<string, string> {
  const incoming = nodeRequestOf(c);
  if (!incoming) return c.req.header();
  const out: Record<string, string> = {};
  const headers = incoming.headers;
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
