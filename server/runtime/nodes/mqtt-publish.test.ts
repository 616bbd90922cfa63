/**
 * The mqtt-publish sink against the real broker (127.0.0.1:1883), through the Engine with an in-memory store.
 */
import { randomUUID } from 'node:crypto';
import type { IPublishPacket } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { serialize } from '../../../shared/clock.js';
import type { FlowNode } from '../../../shared/flow.js';
import { openMemoryStore } from '../../store/index.js';
import { connectMqtt, type MqttClient } from '../../transport/mqtt-client.js';
import { BROKER_URL, brokerAvailable } from '../../transport/testing/broker.js';
import { Engine } from '../engine.js';
import { compiledNode, recordingIO, storedEvent } from '../testing/fixtures.js';
import { sharedUserCodePool } from '../user-code/pool.js';
import type { RecordedEffect } from '../node.js';
import { messageOf, mqttPublish } from './mqtt-publish.js';

const available = await brokerAvailable();

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A client subscribed to `topic`, collecting what arrives. */
async function subscriber(topic: string): Promise<{ client: MqttClient; received: IPublishPacket[] }> {
  const client = connectMqtt({ url: BROKER_URL, clientId: `causeway-test-${randomUUID()}`, persistentSession: false });
  cleanups.push(() => client.endAsync(true));
  const received: IPublishPacket[] = [];
  client.on('message', (_topic, _payload, packet) => received.push(packet));
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync(topic, { qos: 1 });
  return { client, received };
}

async function until<T>(probe: () => T | undefined | false, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('mqtt-publish message', () => {
  it('sends text data of a non-JSON content type as it is', () => {
    expect(messageOf(storedEvent({ data: 'OPEN', datacontenttype: 'text/plain' }), 'data')).toEqual({ payload: 'OPEN', contentType: 'text/plain' });
  });

  it('sends the whole CloudEvent by default', () => {
    const event = storedEvent({ data: { t: 1 } });
    const { payload, contentType } = messageOf(event, 'event');
    expect(JSON.parse(payload)).toMatchObject({ specversion: '1.0', id: event.id, data: { t: 1 } });
    expect(contentType).toBe('application/cloudevents+json');
  });
});

describe.skipIf(!available)('mqtt-publish sink', () => {
  it('publishes each event as a CloudEvent with its vector clock as the vectorclock user property', async () => {
    const topic = `causeway-test/${randomUUID()}/alerts`;
    const { received } = await subscriber(topic);
    const store = openMemoryStore();
    const engine = new Engine({ store });
    cleanups.push(() => engine.close());
    const nodes = [
      { id: 'in', type: 'http', name: 'in', process: 'main', position: { x: 0, y: 0 }, config: { types: ['alarm.*'] } },
      { id: 'out', type: 'mqtt-publish', name: 'out', process: 'main', position: { x: 0, y: 0 }, config: { url: BROKER_URL, topic, qos: 1 } },
    ] as FlowNode[];
    const flow = await store.flows.create({
      id: `f-pub-${randomUUID()}`,
      name: 'mqtt out',
      description: '',
      nodes,
      edges: [{ id: 'e1', source: 'in', sourcePort: 'out', target: 'out', targetPort: 'in' }],
    });
    expect((await engine.deploy(flow)).ok).toBe(true);

    const [published] = await engine.publish([{ type: 'alarm.raised', source: 'test://fridge', data: { t: 9.5 }, process: 'fridge-1' }]);
    const packet = await until(() => received[0]);
    const event = published!.event;
    expect(JSON.parse(packet.payload.toString())).toMatchObject({
      specversion: '1.0',
      id: event.id,
      type: 'alarm.raised',
      source: 'test://fridge',
      data: { t: 9.5 },
      process: 'fridge-1',
      vectorclock: serialize(event.vectorClock),
    });
    expect(packet.properties?.userProperties).toMatchObject({ vectorclock: serialize(event.vectorClock) });
    expect(packet.properties?.contentType).toBe('application/cloudevents+json');
    await until(() => engine.status(flow.id).nodes.out?.in === 1);
    expect(engine.status(flow.id).nodes.out).toMatchObject({ in: 1, errors: 0 });
  });

  it("with payload 'data' publishes only the event's data as JSON, the clock still in the user property", async () => {
    const topic = `causeway-test/${randomUUID()}/setpoints`;
    const { received } = await subscriber(topic);
    const handler = await mqttPublish({ node: compiledNode('mqtt-publish', { url: BROKER_URL, topic, payload: 'data' }, 'out'), flowId: 'f-data', userCode: sharedUserCodePool() });
    cleanups.push(() => handler.stop?.());
    const event = storedEvent({ data: { setpoint: 4 } });

    await handler.handle!(event, recordingIO().io);
    const packet = await until(() => received[0]);
    expect(JSON.parse(packet.payload.toString())).toEqual({ setpoint: 4 });
    expect(packet.properties?.contentType).toBe('application/json');
    expect(packet.properties?.userProperties).toMatchObject({ vectorclock: serialize(event.vectorClock) });
  });

  it('in dry-run mode records the message and sends nothing', async () => {
    const topic = `causeway-test/${randomUUID()}/alerts`;
    const { received } = await subscriber(topic);
    const recorded: RecordedEffect[] = [];
    const recordEffect = (effect: RecordedEffect) => recorded.push(effect);
    const handler = await mqttPublish({ node: compiledNode('mqtt-publish', { url: BROKER_URL, topic }, 'out'), flowId: 'f-dry', recordEffect, userCode: sharedUserCodePool() });
    cleanups.push(() => handler.stop?.());
    const event = storedEvent({ data: { t: 1 } });

    expect(await handler.handle!(event, recordingIO().io)).toEqual([]);
    await sleep(300);
    expect(received).toEqual([]);
    expect(recorded).toEqual([
      {
        kind: 'mqtt-publish',
        nodeId: 'out',
        eventId: event.id,
        url: BROKER_URL,
        topic,
        qos: 1,
        retain: false,
        payload: expect.stringContaining(`"id":"${event.id}"`),
        userProperties: { vectorclock: serialize(event.vectorClock) },
      },
    ]);
  });
});
