/**
 * The `mqtt-publish` sink: publishes each event as a CloudEvent (JSON) to a topic — or, with `payload: data`, only
 * its data — its vector clock also in the MQTT v5 user property `vectorclock`. A publish resolves when the broker acknowledged it (QoS 1/2); a broker
 * that stays away, or refuses, makes a NodeFailure so the event goes to the dead-letter stream. In dry-run mode
 * the message is recorded, not sent, and no connection is opened.
 */
import { serialize } from '../../../shared/clock.js';
import { toCloudEvent, type StoredEvent } from '../../../shared/event.js';
import { mqttPublishSink } from '../../../shared/nodes/sinks.js';
import { closeMqtt, connectMqtt, sessionClientId, type MqttClient } from '../../transport/mqtt-client.js';
import { NodeFailure, type NodeFactory } from '../node.js';
import { configOf } from './config.js';
import { CLOCK_PROPERTY } from './mqtt-message.js';

/** How long an event waits for the broker (connection and acknowledgement) before it is dead-lettered. */
export const PUBLISH_TIMEOUT_MS = 10_000;

function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(onTimeout()), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The message body and its content type: the whole event as a CloudEvent, or only its data. */
export function messageOf(event: StoredEvent, mode: 'event' | 'data'): { payload: string; contentType: string } {
  if (mode === 'event') return { payload: JSON.stringify(toCloudEvent(event)), contentType: 'application/cloudevents+json' };
  if (typeof event.data === 'string' && event.datacontenttype !== null && !/json/i.test(event.datacontenttype)) {
    return { payload: event.data, contentType: event.datacontenttype };
  }
  return { payload: JSON.stringify(event.data ?? null), contentType: 'application/json' };
}

export const mqttPublish: NodeFactory = (ctx) => {
  const config = configOf(mqttPublishSink, ctx);
  const { recordEffect } = ctx;
  let client: MqttClient | undefined;
  let ready: Promise<MqttClient> | undefined;
  let lastError: string | null = null;

  const connected = (): Promise<MqttClient> => {
    if (!client) {
      client = connectMqtt({ url: config.url, clientId: sessionClientId({ flowId: ctx.flowId, nodeId: ctx.node.id, role: 'out' }), persistentSession: false });
      client.on('error', (error) => (lastError = error.message));
      client.on('connect', () => (lastError = null));
    }
    const current = client;
    if (current.connected) return Promise.resolve(current);
    ready ??= new Promise((resolve) =>
      current.once('connect', () => {
        ready = undefined;
        resolve(current);
      }),
    );
    return ready;
  };

  const unreachable = () =>
    new NodeFailure('mqtt_unavailable', `the broker at ${config.url} did not accept the message within ${PUBLISH_TIMEOUT_MS} ms${lastError ? ` (${lastError})` : ''}`);

  return {
    handle: async (event) => {
      const { payload, contentType } = messageOf(event, config.payload);
      const userProperties = { [CLOCK_PROPERTY]: serialize(event.vectorClock) };
      if (recordEffect) {
        recordEffect({ kind: 'mqtt-publish', nodeId: ctx.node.id, eventId: event.id, url: config.url, topic: config.topic, qos: config.qos, retain: config.retain, payload, userProperties });
        return [];
      }
      const publish = async () => {
        const mqttClient = await connected();
        try {
          await mqttClient.publishAsync(config.topic, payload, {
            qos: config.qos,
            retain: config.retain,
            properties: { userProperties, contentType },
          });
        } catch (error) {
          throw new NodeFailure('mqtt_publish_failed', `publishing to ${config.topic} failed: ${(error as Error).message}`);
        }
      };
      await withTimeout(publish(), PUBLISH_TIMEOUT_MS, unreachable);
      return [];
    },
    stop: async () => {
      if (client) await closeMqtt(client);
      client = undefined;
    },
  };
};
