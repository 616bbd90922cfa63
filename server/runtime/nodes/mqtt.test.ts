/**
 * The mqtt source against the real broker (127.0.0.1:1883), driven through the Engine with an in-memory store.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { happenedBefore } from '../../../shared/clock.js';
import type { StoredEvent } from '../../../shared/event.js';
import type { FlowNode } from '../../../shared/flow.js';
import { openMemoryStore, type EventStore } from '../../store/index.js';
import { connectMqtt, type MqttClient } from '../../transport/mqtt-client.js';
import { BROKER_URL, brokerAvailable, PACKET, startRelay, type Relay } from '../../transport/testing/broker.js';
import { Engine } from '../engine.js';

const available = await brokerAvailable();

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** The real in-memory store behind a slow disk: every append takes `delayMs` and notes when it committed. */
function slowStore(store: EventStore, delayMs: number, committed: number[], failFirst = 0): EventStore {
  let failures = failFirst;
  return new Proxy(store, {
    get(target, property) {
      if (property === 'append') {
        return async (...args: Parameters<EventStore['append']>) => {
          await sleep(delayMs);
          if (failures > 0) {
            failures--;
            throw new Error('disk busy');
          }
          const results = await target.append(...args);
          committed.push(Date.now());
          return results;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function running(options: { store?: EventStore; url?: string; topic: string; qos?: 0 | 1 | 2; flowId?: string }) {
  const store = options.store ?? openMemoryStore();
  const engine = new Engine({ store });
  cleanups.push(() => engine.close());
  const node = {
    id: 'sensors',
    type: 'mqtt',
    name: 'sensors',
    process: 'main',
    position: { x: 0, y: 0 },
    config: { url: options.url ?? BROKER_URL, topic: options.topic, qos: options.qos ?? 1, type: 'reading.recorded' },
  } as FlowNode;
  const flow = await store.flows.create({ id: options.flowId ?? `f-mqtt-${randomUUID()}`, name: 'mqtt in', description: '', nodes: [node], edges: [] });
  const result = await engine.deploy(flow);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { engine, store, flow };
}

async function publisher(): Promise<MqttClient> {
  const client = connectMqtt({ url: BROKER_URL, clientId: `causeway-test-${randomUUID()}`, persistentSession: false });
  cleanups.push(() => client.endAsync(true));
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

const eventsOf = (store: EventStore, flowId: string): Promise<StoredEvent[]> => store.read({ flowId, limit: 1000 });

describe.skipIf(!available)('mqtt source', () => {
  it('stores each message as an event: the device is the process, the payload the data, a carried clock merged', async () => {
    const base = `causeway-test/${randomUUID()}`;
    const { store, flow } = await running({ topic: `${base}/+/temp` });
    const pub = await publisher();

    await pub.publishAsync(`${base}/sensor-7/temp`, JSON.stringify({ t: 4.2 }), {
      qos: 1,
      properties: { userProperties: { vectorclock: JSON.stringify({ 'sensor-7': 5, gateway: 2 }) } },
    });
    const [first] = await until(async () => {
      const events = await eventsOf(store, flow.id);
      return events.length === 1 && events;
    });
    expect(first).toMatchObject({
      type: 'reading.recorded',
      process: 'sensor-7',
      stream: 'sensor-7',
      source: `mqtt://${base}/sensor-7/temp`,
      data: { t: 4.2 },
      vectorClock: { 'sensor-7': 5, gateway: 2 },
      nodeId: 'sensors',
    });

    // A stale clock in the payload is merged, and the device's counter still moves on.
    await pub.publishAsync(`${base}/sensor-7/temp`, JSON.stringify({ t: 4.4, vectorclock: { 'sensor-7': 3, hub: 4 } }), { qos: 1 });
    const second = await until(async () => (await eventsOf(store, flow.id))[1]);
    expect(second.data).toEqual({ t: 4.4 });
    expect(second.vectorClock).toEqual({ 'sensor-7': 6, gateway: 2, hub: 4 });
    expect(happenedBefore(first!.vectorClock, second.vectorClock)).toBe(true);
  });

  it('takes the device from the payload field when the message names one, and stores QoS 0 messages too', async () => {
    const base = `causeway-test/${randomUUID()}`;
    const { store, flow } = await running({ topic: `${base}/#`, qos: 0 });
    const pub = await publisher();
    await pub.publishAsync(`${base}/hall`, JSON.stringify({ deviceId: 'door-3', open: true }), { qos: 0 });
    await pub.publishAsync(`${base}/kitchen`, 'plain text', { qos: 0 });
    const events = await until(async () => {
      const all = await eventsOf(store, flow.id);
      return all.length === 2 && all;
    });
    expect(events.map((e) => [e.process, e.data])).toEqual([
      ['door-3', { deviceId: 'door-3', open: true }],
      ['kitchen', 'plain text'],
    ]);
  });

  it('stores what no store could keep as it came: JSON with a NUL as text, text with one as base64, odd device names', async () => {
    const base = `causeway-test/${randomUUID()}`;
    const { store, flow } = await running({ topic: `${base}/+/temp` });
    const pub = await publisher();
    const nulJson = '{"name":"Ada\\u0000","t":1}';
    await pub.publishAsync(`${base}/fridge-1/temp`, nulJson, { qos: 1 });
    await pub.publishAsync(`${base}/fridge-2/temp`, Buffer.from('C string\u0000'), { qos: 1 });
    const longName = { deviceId: 'd'.repeat(300), t: 2 };
    await pub.publishAsync(`${base}/fridge-3/temp`, JSON.stringify(longName), { qos: 1 });
    await pub.publishAsync(`${base}/constructor/temp`, JSON.stringify({ t: 3 }), { qos: 1 });
    await pub.publishAsync(`${base}/__proto__/temp`, JSON.stringify({ t: 4 }), { qos: 1 });
    const events = await until(async () => {
      const all = await eventsOf(store, flow.id);
      return all.length === 5 && all;
    });
    expect(events.map((e) => [e.process, e.data, (e.metadata.mqtt as { encoding: string }).encoding])).toEqual([
      ['fridge-1', nulJson, 'text'],
      ['fridge-2', Buffer.from('C string\u0000').toString('base64'), 'base64'],
      ['fridge-3', longName, 'json'],
      ['constructor', { t: 3 }, 'json'],
      ['__proto__', { t: 4 }, 'json'],
    ]);
    expect(Object.entries(events[3]!.vectorClock)).toEqual([['constructor', 1]]);
    expect(Object.entries(events[4]!.vectorClock)).toEqual([['__proto__', 1]]);
  });

  it('sends a message the store refuses to $deadletter with its payload, and goes on with the next message', async () => {
    const base = `causeway-test/${randomUUID()}`;
    const { store, flow } = await running({ topic: `${base}/+/temp` });
    const pub = await publisher();
    // Text that no event holds: more than 8 MiB.
    const huge = 'x'.repeat(9 * 1024 * 1024);
    await pub.publishAsync(`${base}/fridge-1/temp`, huge, { qos: 1 });
    await pub.publishAsync(`${base}/fridge-2/temp`, JSON.stringify({ t: 5 }), { qos: 1 });
    const events = await until(async () => {
      const all = await eventsOf(store, flow.id);
      return all.length === 2 && all;
    });
    const [letter, reading] = events;
    expect(letter).toMatchObject({
      stream: '$deadletter',
      nodeId: 'sensors',
      causationId: null,
      data: { error: { code: 'invalid_event', message: expect.stringContaining('more than 8 MiB') }, input: { topic: `${base}/fridge-1/temp`, qos: 1, payloadBytes: huge.length } },
    });
    // The first 64 KiB of the payload, as it came.
    expect(Buffer.from((letter!.data as { input: { payloadBase64: string } }).input.payloadBase64, 'base64').toString()).toBe(huge.slice(0, 64 * 1024));
    expect(reading).toMatchObject({ process: 'fridge-2', data: { t: 5 } });
  });

  it('sends the PUBACK only after the event is committed, even when the store is slow and fails at first', async () => {
    const relay = await startRelay();
    cleanups.push(() => relay.close());
    const committed: number[] = [];
    const store = slowStore(openMemoryStore(), 150, committed, 1);
    const base = `causeway-test/${randomUUID()}`;
    const { flow } = await running({ store, url: relay.url, topic: `${base}/+` });
    const pub = await publisher();

    await pub.publishAsync(`${base}/sensor-1`, JSON.stringify({ t: 1 }), { qos: 1 });
    await until(async () => (await eventsOf(store, flow.id)).length === 1);
    const puback = await until(() => relay.fromClient.find((p) => p.type === PACKET.PUBACK));
    // The first append failed (retried), the second committed; the acknowledgement came after that commit.
    expect(committed).toHaveLength(1);
    expect(puback.at).toBeGreaterThanOrEqual(committed[0]!);
  });

  it('reconnects after the broker goes away, and receives what was sent meanwhile, each message once', async () => {
    const relay: Relay = await startRelay();
    cleanups.push(() => relay.close());
    const base = `causeway-test/${randomUUID()}`;
    const { store, flow } = await running({ url: relay.url, topic: `${base}/+` });
    const pub = await publisher();

    await pub.publishAsync(`${base}/sensor-1`, JSON.stringify({ n: 1 }), { qos: 1 });
    await until(async () => (await eventsOf(store, flow.id)).length === 1);

    relay.cut();
    await pub.publishAsync(`${base}/sensor-1`, JSON.stringify({ n: 2 }), { qos: 1 });
    await pub.publishAsync(`${base}/sensor-1`, JSON.stringify({ n: 3 }), { qos: 1 });
    await sleep(300);
    expect(await eventsOf(store, flow.id)).toHaveLength(1);

    relay.restore();
    const events = await until(async () => {
      const all = await eventsOf(store, flow.id);
      return all.length >= 3 && all;
    });
    await sleep(300);
    expect((await eventsOf(store, flow.id)).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(events.every((e) => e.process === 'sensor-1')).toBe(true);
  });

  it('stops cleanly on drain and, deployed again, gets the messages sent while it was stopped', async () => {
    const base = `causeway-test/${randomUUID()}`;
    const { engine, store, flow } = await running({ topic: `${base}/+` });
    const pub = await publisher();
    await pub.publishAsync(`${base}/sensor-1`, JSON.stringify({ n: 1 }), { qos: 1 });
    await until(async () => (await eventsOf(store, flow.id)).length === 1);

    await engine.stop(flow.id);
    await pub.publishAsync(`${base}/sensor-1`, JSON.stringify({ n: 2 }), { qos: 1 });
    await sleep(200);
    expect(await eventsOf(store, flow.id)).toHaveLength(1);

    const result = await engine.deploy(flow);
    expect(result.ok).toBe(true);
    await until(async () => (await eventsOf(store, flow.id)).length === 2);
    expect((await eventsOf(store, flow.id)).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
  });
});
