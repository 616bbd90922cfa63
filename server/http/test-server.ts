/** A real server on a random port for the HTTP tests: SQLite in memory, no demo, no web build, quiet logs. */
import { silentLogger } from '../logger.js';
import { startCauseway, type Causeway, type ConfigOverrides } from '../start.js';

export async function startTestServer(config: ConfigOverrides = {}): Promise<Causeway> {
  return startCauseway({
    config: { port: 0, host: '127.0.0.1', store: { url: 'sqlite::memory:' }, ...config },
    env: {},
    demo: false,
    buildWeb: false,
    logger: silentLogger(),
    live: { heartbeatMs: 200, statusMs: 100 },
  });
}

/** A small HTTP client bound to a server. */
export function client(base: string, defaults: Record<string, string> = {}) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { ...defaults, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body);
      if (!Object.keys(init.headers as Record<string, string>).some((k) => k.toLowerCase() === 'content-type')) {
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
      }
    }
    const res = await fetch(base + path, init);
    const text = await res.text();
    // Answers are read loosely in tests (`res.json.events[0].id`); the assertions check their shape.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let json: any = null;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, headers: res.headers, json, text };
  };
  return {
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    put: (path: string, body?: unknown, headers?: Record<string, string>) => call('PUT', path, body, headers),
    del: (path: string, headers?: Record<string, string>) => call('DELETE', path, undefined, headers),
    call,
  };
}

/** A CloudEvent in structured mode. */
export const cloudEvent = (over: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: `ev-${Math.random().toString(36).slice(2)}`,
  source: 'test://sensor-1',
  type: 'reading.recorded',
  data: { t: 4.2 },
  ...over,
});

export const CE = { 'content-type': 'application/cloudevents+json' };
export const CE_BATCH = { 'content-type': 'application/cloudevents-batch+json' };

/** A flow: http in (reading.*) → filter (t > 8) → transform → store. */
export const pipelineFlow = (name = 'pipeline') => ({
  name,
  nodes: [
    { id: 'in', type: 'http', config: { types: ['reading.*'] } },
    { id: 'warm', type: 'filter', config: { expression: 'data.t > 8' } },
    { id: 'conv', type: 'transform', config: { expression: "{'celsius': data.t}", type: 'reading.converted' } },
    { id: 'keep', type: 'store', config: { stream: 'warm-readings' } },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'warm' },
    { id: 'e2', source: 'warm', target: 'conv' },
    { id: 'e3', source: 'conv', target: 'keep' },
  ],
});

/** Reads a server-sent event stream until `until` says enough (or the time runs out). */
export async function readSse(
  url: string,
  until: (messages: { event: string; id?: string; data: string }[]) => boolean,
  options: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ status: number; contentType: string | null; messages: { event: string; id?: string; data: string }[]; comments: string[] }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 5000);
  const messages: { event: string; id?: string; data: string }[] = [];
  const comments: string[] = [];
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...options.headers }, signal: controller.signal });
  try {
    if (!res.ok || !res.body) return { status: res.status, contentType: res.headers.get('content-type'), messages, comments };
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const message: { event: string; id?: string; data: string } = { event: 'message', data: '' };
        let isComment = true;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) comments.push(line.slice(1).trim());
          else {
            isComment = false;
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'event') message.event = value;
            else if (field === 'id') message.id = value;
            else if (field === 'data') message.data += value;
          }
        }
        if (!isComment) messages.push(message);
      }
      if (until(messages)) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { status: res.status, contentType: res.headers.get('content-type'), messages, comments };
}

export const waitFor = async <T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 5000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
};
