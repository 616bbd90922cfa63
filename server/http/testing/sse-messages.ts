/**
 * Reading the start of a server-sent event stream from a Response (an in-process `app.request()` or a `fetch`):
 * messages as they come, until the caller has seen enough, the stream ends or the time runs out; then the reading
 * stops and the stream is cancelled, so the server releases it.
 */

export interface SseMessage {
  event: string;
  id?: string;
  data: string;
}

export interface SseStart {
  messages: SseMessage[];
  /** Comment lines (heartbeats). */
  comments: string[];
  /** Whether the server ended the stream. */
  ended: boolean;
}

export async function readSseStart(res: Response, enough: (messages: SseMessage[]) => boolean, timeoutMs = 5000): Promise<SseStart> {
  const out: SseStart = { messages: [], comments: [], ended: false };
  if (!res.body) return { ...out, ended: true };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), timeoutMs)));
  try {
    while (!enough(out.messages)) {
      const chunk = await Promise.race([reader.read(), expired]);
      if (chunk === 'expired') break;
      if (chunk.done) {
        out.ended = true;
        break;
      }
      buffer += decoder.decode(chunk.value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        parseBlock(buffer.slice(0, cut), out);
        buffer = buffer.slice(cut + 2);
      }
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => undefined);
  }
  return out;
}

function parseBlock(block: string, out: SseStart): void {
  const message: SseMessage = { event: 'message', data: '' };
  let fields = 0;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      out.comments.push(line.slice(1).trim());
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    fields++;
    if (field === 'event') message.event = value;
    else if (field === 'id') message.id = value;
    else if (field === 'data') message.data += message.data === '' ? value : `\n${value}`;
  }
  if (fields > 0 && message.data !== '') out.messages.push(message);
}
