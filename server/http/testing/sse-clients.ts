/**
 * Many SSE clients in a process of their own (the fan-out test: thousands of sockets and their reading stay off the
 * test's event loop and file descriptors). Started with `fork` and an IPC channel; argv: the stream URL, how many
 * clients, how many `event` messages each should get.
 * Sends `{type: 'open', open, refused}` once every client is connected (or was refused), then `{type: 'done', …}` once
 * every client has all its messages or was told it fell behind (or when the parent sends `'report'`). Messages are
 * counted by their `event:` line without parsing the data, so reading stays cheap.
 */
import { request, type IncomingMessage } from 'node:http';

const [url, clientsArg, expectedArg] = process.argv.slice(2);
if (!url || !clientsArg || !expectedArg) throw new Error('usage: sse-clients <url> <clients> <expected events>');
const clients = Number(clientsArg);
const expected = Number(expectedArg);
/** Connections opened at once: more would overflow the server's listen backlog and wait on SYN retries. */
const WAVE = 100;

const EVENT = Buffer.from('event: event\n');
const OVERFLOW = Buffer.from('event: overflow\n');
const ID = Buffer.from('\nid: ');

interface Client {
  events: number;
  overflowed: boolean;
  ended: boolean;
  lastId: string | null;
  /** The last bytes of the previous chunk, so a line split between chunks is still seen. */
  tail: Buffer;
  response?: IncomingMessage;
}

const all: Client[] = [];
let open = 0;
const refused: number[] = [];
let reported = false;

function countOf(haystack: Buffer, needle: Buffer): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}

function finished(): boolean {
  return all.length === clients && all.every((c) => c.ended || c.overflowed || c.events >= expected);
}

function report(): void {
  if (reported) return;
  reported = true;
  const counts = all.map((c) => c.events);
  process.send!({
    type: 'done',
    clients: all.length,
    complete: all.filter((c) => c.events === expected).length,
    overflowed: all.filter((c) => c.overflowed).length,
    incomplete: all.filter((c) => c.events !== expected && !c.overflowed).length,
    tooMany: all.filter((c) => c.events > expected).length,
    minEvents: Math.min(...counts),
    maxEvents: Math.max(...counts),
    lastIds: [...new Set(all.filter((c) => !c.overflowed).map((c) => c.lastId))],
  });
  for (const c of all) c.response?.destroy();
  setTimeout(() => process.exit(0), 100).unref();
}

function connect(): Promise<void> {
  return new Promise((resolve) => {
    const client: Client = { events: 0, overflowed: false, ended: false, lastId: null, tail: Buffer.alloc(0) };
    all.push(client);
    const req = request(url!, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      client.response = res;
      if (res.statusCode !== 200) {
        refused.push(res.statusCode ?? 0);
        client.ended = true;
        res.resume();
        return resolve();
      }
      let connected = false;
      res.on('data', (chunk: Buffer) => {
        const text = client.tail.length > 0 ? Buffer.concat([client.tail, chunk]) : chunk;
        // Markers wholly inside the carried tail were counted with the previous chunk.
        client.events += countOf(text, EVENT) - countOf(client.tail, EVENT);
        if (countOf(text, OVERFLOW) > 0) client.overflowed = true;
        const idAt = text.lastIndexOf(ID);
        if (idAt >= 0) {
          const end = text.indexOf(10, idAt + ID.length);
          if (end > 0) client.lastId = text.subarray(idAt + ID.length, end).toString();
        }
        client.tail = Buffer.from(text.subarray(Math.max(0, text.length - OVERFLOW.length)));
        if (!connected) {
          connected = true;
          open++;
          resolve();
        }
        if (finished()) report();
      });
      res.on('end', () => {
        client.ended = true;
        if (finished()) report();
      });
      res.on('error', () => (client.ended = true));
    });
    req.on('error', () => {
      client.ended = true;
      refused.push(0);
      resolve();
    });
    req.end();
  });
}

async function main(): Promise<void> {
  for (let i = 0; i < clients; i += WAVE) {
    await Promise.all(Array.from({ length: Math.min(WAVE, clients - i) }, connect));
  }
  process.send!({ type: 'open', open, refused: refused.length });
  if (expected === 0 || finished()) report();
}

process.on('message', (m) => {
  if (m === 'report') report();
});
void main();
