/**
 * The http-request sink against a real local HTTP receiver (node:http on a free port).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../shared/event.js';
import type { FlowNode } from '../../../shared/flow.js';
import { openMemoryStore } from '../../store/index.js';
import { DEADLETTER_STREAM } from '../derive.js';
import { Engine } from '../engine.js';
import { NodeFailure } from '../node.js';
import { compiledNode, recordingIO, storedEvent } from '../testing/fixtures.js';
import { sharedUserCodePool } from '../user-code/pool.js';
import type { RecordedEffect } from '../node.js';
import { backoffMs, BACKOFF_MAX_MS, decide } from './http-request-retry.js';
import { httpRequest } from './http-request.js';

interface Received {
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A receiver that answers request n with `answer(n)`: a status, or 'hang' to never answer. */
async function receiver(answer: (n: number) => number | 'hang'): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ method: req.method ?? '', headers: req.headers, body });
      const status = answer(received.length);
      if (status === 'hang') return void hanging.push(res);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}/hook`, received };
}

async function sink(config: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const handler = await httpRequest({ node: compiledNode('http-request', config, 'hook'), flowId: 'f-http', userCode: sharedUserCodePool(), ...extra });
  cleanups.push(() => handler.stop?.());
  return handler;
}

const failureOf = async (work: Promise<unknown>): Promise<NodeFailure> => {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof NodeFailure)) throw new Error(`expected a NodeFailure, got ${String(error)}`);
  return error;
};

describe('retry policy', () => {
  it('retries timeouts, network errors, throttling and server errors; gives up on other refusals', () => {
    expect(decide({ kind: 'response', status: 204 })).toBe('delivered');
    for (const status of [408, 429, 500, 502, 503, 504]) expect(decide({ kind: 'response', status })).toBe('retry');
    for (const status of [301, 400, 401, 404, 422]) expect(decide({ kind: 'response', status })).toBe('give_up');
    expect(decide({ kind: 'timeout' })).toBe('retry');
    expect(decide({ kind: 'network', message: 'ECONNREFUSED' })).toBe('retry');
  });

  it('backs off exponentially with jitter, capped, and follows a short Retry-After', () => {
    expect(backoffMs(1, null, () => 0.5)).toBe(200);
    expect(backoffMs(2, null, () => 0.5)).toBe(400);
    expect(backoffMs(3, null, () => 0)).toBe(640);
    expect(backoffMs(30, null, () => 1)).toBe(BACKOFF_MAX_MS * 1.2);
    expect(backoffMs(1, '2', () => 0.5)).toBe(2000);
    expect(backoffMs(1, '3600', () => 0.5)).toBe(200);
    expect(backoffMs(1, 'Wed, 21 Oct 2015 07:28:00 GMT', () => 0.5)).toBe(200);
  });
});

describe('http-request sink', () => {
  it('sends the event as a CloudEvent with the configured method and headers and an idempotency key', async () => {
    const { url, received } = await receiver(() => 202);
    const handler = await sink({ url, method: 'PUT', headers: { authorization: 'Bearer abc' } });
    const event = storedEvent({ data: { t: 3 } });
    expect(await handler.handle!(event, recordingIO().io)).toEqual([]);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.method).toBe('PUT');
    expect(request!.headers).toMatchObject({ 'content-type': 'application/cloudevents+json', 'idempotency-key': event.id, authorization: 'Bearer abc' });
    expect(JSON.parse(request!.body)).toMatchObject({ specversion: '1.0', id: event.id, type: event.type, data: { t: 3 } });
  });

  it('retries a server error with backoff until it is delivered', async () => {
    const { url, received } = await receiver((n) => (n < 3 ? 503 : 200));
    const handler = await sink({ url, retries: 3 });
    const started = Date.now();
    await handler.handle!(storedEvent(), recordingIO().io);
    expect(received).toHaveLength(3);
    // Two waits of about 200 and 400 ms (±20 %).
    expect(Date.now() - started).toBeGreaterThanOrEqual(480);
    expect(new Set(received.map((r) => r.headers['idempotency-key'])).size).toBe(1);
  });

  it('fails at once on a refusal that will not change', async () => {
    const { url, received } = await receiver(() => 400);
    const failure = await failureOf(Promise.resolve((await sink({ url, retries: 3 })).handle!(storedEvent(), recordingIO().io)));
    expect(received).toHaveLength(1);
    expect(failure).toMatchObject({ code: 'http_status', details: { attempts: 1, status: 400 } });
  });

  it('bounds each attempt by the timeout and fails once the retries are spent', async () => {
    const { url, received } = await receiver(() => 'hang');
    const handler = await sink({ url, timeoutMs: 100, retries: 1 });
    const started = Date.now();
    const failure = await failureOf(Promise.resolve(handler.handle!(storedEvent(), recordingIO().io)));
    expect(failure).toMatchObject({ code: 'http_timeout', details: { attempts: 2 } });
    expect(received).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('times an attempt out even when garbage is collected while it waits', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { url } = await receiver(() => 'hang');
    const handler = await sink({ url, timeoutMs: 100, retries: 0 });
    const collecting = setInterval(gc, 10);
    cleanups.push(() => clearInterval(collecting));
    const failure = await Promise.race([
      failureOf(Promise.resolve(handler.handle!(storedEvent(), recordingIO().io))),
      sleep(5_000).then(() => 'still waiting'),
    ]);
    expect(failure).toMatchObject({ code: 'http_timeout' });
  });

  it('reports a receiver that cannot be reached', async () => {
    const { url } = await receiver(() => 200);
    await cleanups.pop()!();
    const failure = await failureOf(Promise.resolve((await sink({ url, retries: 0 })).handle!(storedEvent(), recordingIO().io)));
    expect(failure.code).toBe('http_unreachable');
  });

  it('in dry-run mode records the request and sends nothing', async () => {
    const { url, received } = await receiver(() => 200);
    const recorded: RecordedEffect[] = [];
    const handler = await sink({ url }, { recordEffect: (e: RecordedEffect) => recorded.push(e) });
    const event = storedEvent();
    await handler.handle!(event, recordingIO().io);
    expect(received).toEqual([]);
    expect(recorded).toEqual([
      {
        kind: 'http-request',
        nodeId: 'hook',
        eventId: event.id,
        url,
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json', 'idempotency-key': event.id },
        body: expect.stringContaining(`"id":"${event.id}"`),
      },
    ]);
  });

  it('dead-letters an event the webhook keeps refusing, and the flow goes on', async () => {
    const { url, received } = await receiver((n) => (n <= 3 ? 500 : 200));
    const store = openMemoryStore();
    const engine = new Engine({ store });
    cleanups.push(() => engine.close());
    const nodes = [
      { id: 'in', type: 'http', name: 'in', process: 'main', position: { x: 0, y: 0 }, config: { types: ['order.*'] } },
      { id: 'hook', type: 'http-request', name: 'hook', process: 'main', position: { x: 0, y: 0 }, config: { url, retries: 2, timeoutMs: 1000 } },
    ] as FlowNode[];
    const flow = await store.flows.create({
      id: `f-hook-${randomUUID()}`,
      name: 'webhook',
      description: '',
      nodes,
      edges: [{ id: 'e1', source: 'in', sourcePort: 'out', target: 'hook', targetPort: 'in' }],
    });
    expect((await engine.deploy(flow)).ok).toBe(true);

    const [refused] = await engine.publish([{ type: 'order.placed', source: 'test://shop', data: { n: 1 } }]);
    await engine.publish([{ type: 'order.placed', source: 'test://shop', data: { n: 2 } }]);
    const deadline = Date.now() + 8_000;
    const settled = async () => received.length === 4 && (await store.readStream(DEADLETTER_STREAM)).length === 1;
    while (!(await settled()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    const letters = await store.readStream(DEADLETTER_STREAM);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ causationId: refused!.event.id, nodeId: 'hook', data: { error: { code: 'http_status', details: { attempts: 3, status: 500 } } } });
    expect((letters[0]!.data as { event: StoredEvent }).event.id).toBe(refused!.event.id);
    expect(received).toHaveLength(4);
    expect(engine.status(flow.id).nodes.hook).toMatchObject({ in: 2, errors: 1 });
  });
});
