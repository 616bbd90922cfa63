import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../shared/event.js';
import { draft } from '../store/testing/fixtures.js';
import { type EventStore, openMemoryStore, type SubscribeOptions } from '../store/index.js';
import type { AppEnv } from './deps.js';
import { toErrorResponse } from './errors.js';
import { LiveFeed, type LiveFilter } from './live-feed.js';
import { createSseHub } from './sse-hub.js';
import { sseResponse } from './sse.js';

interface Message {
  event: string;
  id?: string;
  data: string;
}

/**
 * A memory store whose live subscription the test drives: `deliver` hands the feed a batch when the test says so,
 * so where the feed is, and what comes while a client catches up, is the test's choice.
 */
function drivenStore() {
  const store = openMemoryStore();
  let subscription: SubscribeOptions | null = null;
  let subscriptions = 0;
  const driven = {
    head: () => store.head(),
    read: (options: Parameters<EventStore['read']>[0]) => store.read(options),
    subscribe(options: SubscribeOptions) {
      subscription = options;
      subscriptions++;
      return { close: () => (subscription = null) };
    },
  } as unknown as EventStore;
  return {
    store: driven,
    append: async (count: number, type = 'reading.recorded') => (await store.append(Array.from({ length: count }, () => draft({ type })))).map((r) => r.event),
    deliver: async (events: StoredEvent[]) => {
      if (!subscription) throw new Error('the feed is not subscribed');
      await subscription.onEvents(events);
    },
    get subscribed() {
      return subscription !== null;
    },
    get subscriptions() {
      return subscriptions;
    },
  };
}

function appFor(store: EventStore, streamBufferBytes = 1024 * 1024) {
  const hub = createSseHub({ maxStreams: 100, maxStreamsPerClient: 100, streamBufferBytes });
  const feed = new LiveFeed(store, { batchSize: 3 });
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('sse', hub);
    await next();
  });
  app.get('/live', (c) => {
    const after = Number(c.req.query('after'));
    const filter: LiveFilter = c.req.query('type') ? { types: [c.req.query('type')!] } : {};
    return sseResponse(c, { heartbeatMs: 60_000, resumable: true }, (channel) => feed.follow(channel, filter, after));
  });
  app.onError((error, c) => toErrorResponse(c, error, () => undefined));
  return app;
}

/** Reads SSE messages from a response body. */
function reader(res: Response) {
  const body = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const messages: Message[] = [];
  let ended = false;
  const readUntil = async (enough: (messages: Message[]) => boolean, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (!enough(messages) && !ended) {
      if (Date.now() > deadline) throw new Error(`timed out with ${JSON.stringify(messages.map((m) => m.id ?? m.event))}`);
      const { done, value } = await body.read();
      if (done) {
        ended = true;
        break;
      }
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const message: Message = { event: 'message', data: '' };
        let comment = true;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          comment = false;
          const [field, ...rest] = line.split(':');
          const value = rest.join(':').replace(/^ /, '');
          if (field === 'event') message.event = value;
          else if (field === 'id') message.id = value;
          else if (field === 'data') message.data += value;
        }
        if (!comment) messages.push(message);
      }
    }
    return messages;
  };
  return { messages, readUntil, cancel: () => body.cancel(), get ended() {
    return ended;
  } };
}

/** Waits a few turns for `ready` (a stream's feed is set up after its response is returned). */
async function until(ready: () => boolean) {
  for (let i = 0; i < 100 && !ready(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(ready()).toBe(true);
}

const ids = (messages: Message[]) => messages.filter((m) => m.event === 'event').map((m) => Number(m.id));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const open: { cancel: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.cancel().catch(() => undefined)));
});

async function connect(app: Hono<AppEnv>, query: string) {
  const res = await app.request(`/live?${query}`);
  expect(res.status).toBe(200);
  const r = reader(res);
  open.push(r);
  // Lets the stream take its place on the feed.
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  return r;
}

describe('the live events feed', () => {
  it('catches a client that starts behind up from the store, then hands it what the feed brought meanwhile: each event once, in order', async () => {
    const s = drivenStore();
    await s.append(10);
    const app = appFor(s.store);
    const level = await connect(app, 'after=10');
    await until(() => s.subscribed);
    const late = await connect(app, 'after=0');
    // Delivered while the late client still reads its catch-up pages (3 events a page).
    await s.deliver(await s.append(2));
    await late.readUntil((m) => ids(m).length >= 12);
    await level.readUntil((m) => ids(m).length >= 2);
    await s.deliver(await s.append(1));
    await late.readUntil((m) => ids(m).length >= 13);
    expect(ids(late.messages)).toEqual(range(1, 13));
    await level.readUntil((m) => ids(m).length >= 3);
    expect(ids(level.messages)).toEqual(range(11, 13));
  });

  it('lets a client that asks to start ahead of the feed wait for it, and sends it only what follows its start', async () => {
    const s = drivenStore();
    const app = appFor(s.store);
    const first = await connect(app, 'after=0');
    await until(() => s.subscribed);
    const events = await s.append(6);
    const ahead = await connect(app, 'after=4');
    await s.deliver(events);
    await s.deliver(await s.append(1));
    await ahead.readUntil((m) => ids(m).length >= 3);
    expect(ids(ahead.messages)).toEqual([5, 6, 7]);
    await first.readUntil((m) => ids(m).length >= 7);
    expect(ids(first.messages)).toEqual(range(1, 7));
  });

  it('sends each stream only the events its filter matches, catch-up and live alike', async () => {
    const s = drivenStore();
    await s.append(2, 'a');
    await s.append(2, 'b');
    const app = appFor(s.store);
    const onlyB = await connect(app, 'after=0&type=b');
    await until(() => s.subscribed);
    await s.deliver([...(await s.append(1, 'a')), ...(await s.append(1, 'b'))]);
    await onlyB.readUntil((m) => ids(m).length >= 3);
    expect(ids(onlyB.messages)).toEqual([3, 4, 6]);
    expect(onlyB.messages.every((m) => JSON.parse(m.data).type === 'b')).toBe(true);
  });

  it('tells a client that falls behind where it got to, so it can resume, and ends its stream; the others go on', async () => {
    const s = drivenStore();
    const app = appFor(s.store, 2000);
    const slow = await connect(app, 'after=0');
    await until(() => s.subscribed);
    const fast = await connect(app, 'after=0');
    await s.deliver(await s.append(1, 'x'.repeat(100)));
    await slow.readUntil((m) => ids(m).length >= 1);
    // The client reads no more while a lot comes.
    for (let i = 0; i < 10; i++) {
      await s.deliver(await s.append(5));
      await fast.readUntil((m) => ids(m).length >= 1 + 5 * (i + 1));
    }
    expect(ids(fast.messages)).toEqual(range(1, 51));
    await slow.readUntil(() => false);
    expect(slow.ended).toBe(true);
    const last = slow.messages[slow.messages.length - 1]!;
    expect(last.event).toBe('overflow');
    const told = JSON.parse(last.data) as { code: string; message: string; lastEventId: string };
    expect(told.code).toBe('stream_overflow');
    const got = ids(slow.messages);
    expect(told.lastEventId).toBe(String(got[got.length - 1]));
    expect(told.message).toContain(`Last-Event-ID: ${told.lastEventId}`);
  });

  it('runs one store subscription while clients follow, and none once the last has gone', async () => {
    const s = drivenStore();
    const app = appFor(s.store);
    const a = await connect(app, 'after=0');
    const b = await connect(app, 'after=0&type=other');
    await until(() => s.subscribed);
    expect(s.subscriptions).toBe(1);
    await a.cancel();
    expect(s.subscribed).toBe(true);
    await b.cancel();
    await until(() => !s.subscribed);
    await connect(app, 'after=0');
    await until(() => s.subscribed);
    expect(s.subscriptions).toBe(2);
  });
});
