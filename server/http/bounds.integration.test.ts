/**
 * The HTTP server's bounds, on a real server with raw sockets and short configured limits: a client that sends its
 * headers or its body too slowly is cut off, an idle keep-alive connection is closed, connections past the cap are
 * closed as they come, and the limits on requests never cut a live stream short.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Causeway, ConfigOverrides } from '../start.js';
import { startTestServer } from '../testing/test-server.js';

const servers: Causeway[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serverWith(http: ConfigOverrides['http']): Promise<Causeway> {
  const server = await startTestServer({ http });
  servers.push(server);
  return server;
}

/** A raw connection to the server, with what it received and whether the server closed it. */
async function rawSocket(server: Causeway) {
  const socket = connect(server.port, '127.0.0.1');
  sockets.push(socket);
  const state = { received: '', closed: false };
  socket.on('data', (d) => (state.received += String(d)));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  void closed.then(() => (state.closed = true));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, state, closed };
}

/** Resolves true if `closed` settles within `ms`, false otherwise. */
const within = (closed: Promise<void>, ms: number) =>
  Promise.race([closed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

/** Writes `text` a byte at a time, one byte every `everyMs`, until stopped or the socket closes. */
function trickle(socket: Socket, text: string, everyMs: number): () => void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed) return clearInterval(timer);
    socket.write(text[i++ % text.length]!);
  }, everyMs);
  return () => clearInterval(timer);
}

describe('HTTP server bounds', () => {
  it('closes a connection that sends its headers byte by byte once the header time is up (408)', async () => {
    const server = await serverWith({ headersTimeoutMs: 500, requestTimeoutMs: 2000 });
    const { socket, state, closed } = await rawSocket(server);
    socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n');
    const stop = trickle(socket, 'X-Slow: yes\r\n', 50);
    const started = performance.now();
    expect(await within(closed, 5000)).toBe(true);
    stop();
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
    expect(state.received).toContain('408');
  });

  it('closes a request whose body does not arrive in time (408)', async () => {
    const server = await serverWith({ headersTimeoutMs: 500, requestTimeoutMs: 1000 });
    const { socket, state, closed } = await rawSocket(server);
    socket.write('POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/cloudevents+json\r\nContent-Length: 1000\r\n\r\n');
    const stop = trickle(socket, ' ', 50);
    expect(await within(closed, 6000)).toBe(true);
    stop();
    expect(state.received).toContain('408');
  });

  it('closes an idle keep-alive connection after the keep-alive time', async () => {
    const server = await serverWith({ keepAliveTimeoutMs: 300 });
    const { socket, state, closed } = await rawSocket(server);
    socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    expect(await within(closed, 3000)).toBe(true);
    expect(state.received).toContain('200 OK');
  });

  it('keeps a live stream open well past the request time limit: the limits are on receiving requests only', async () => {
    const server = await serverWith({ headersTimeoutMs: 300, requestTimeoutMs: 500 });
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/events/live`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const until = performance.now() + 2500;
    let received = '';
    let ended = false;
    while (performance.now() < until) {
      const chunk = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), 300))]);
      if (chunk === null) continue;
      if (chunk.done) {
        ended = true;
        break;
      }
      received += new TextDecoder().decode(chunk.value);
    }
    controller.abort();
    expect(ended).toBe(false);
    // The test server sends a heartbeat every 200 ms.
    expect(received.split(': heartbeat').length - 1).toBeGreaterThanOrEqual(5);
  });

  it('closes connections past the cap as they come; health answers again once others have gone', async () => {
    const server = await serverWith({ maxConnections: 5 });
    const held = [];
    for (let i = 0; i < 5; i++) {
      const held1 = await rawSocket(server);
      // A request answered: the server has taken this connection.
      held1.socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n');
      while (!held1.state.received.includes('200 OK')) await new Promise((resolve) => setTimeout(resolve, 10));
      held.push(held1);
    }
    const extra = await rawSocket(server);
    extra.socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await within(extra.closed, 3000)).toBe(true);
    expect(extra.state.received).toBe('');
    for (const h of held) h.socket.destroy();
    await Promise.all(held.map((h) => h.closed));
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = await fetch(`${server.url}/api/health`, { headers: { connection: 'close' } }).then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(200);
  });
});
