/**
 * For tests that talk to a server over HTTP: a small client bound to its URL that reads answers loosely, a reader of
 * server-sent event streams, and a poll that waits until a probe holds.
 */

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
