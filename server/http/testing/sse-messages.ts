/**
 * The messages of a server-sent event stream read from an answer's body (an in-process `app.request`), until
 * `enough` says so, the stream ends, or the time runs out; the stream is cancelled then.
 */
export interface SseMessage {
  event: string;
  id?: string;
  data: string;
}

export async function sseMessagesOf(response: Response, enough: (messages: SseMessage[]) => boolean, timeoutMs = 5000): Promise<SseMessage[]> {
  const body = response.body;
  if (!body) return [];
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const messages: SseMessage[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (!enough(messages) && Date.now() < deadline) {
      const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), Math.max(0, deadline - Date.now())));
      const read = await Promise.race([reader.read(), timer]);
      if (read === 'late' || read.done) break;
      buffer += decoder.decode(read.value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const message: SseMessage = { event: 'message', data: '' };
        let named = false;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue; // a comment: the greeting, a heartbeat
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') message.event = value;
          else if (field === 'id') message.id = value;
          else if (field === 'data') message.data += value;
          else continue; // `retry:`
          named = true;
        }
        if (named) messages.push(message);
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return messages;
}
