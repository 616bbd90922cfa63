/**
 * The `mqtt` source: subscribes to a topic filter and turns each message into an event. A QoS 1/2 message is
 * acknowledged (PUBACK / PUBREC) only after its event is committed; until then the broker holds it, and the
 * persistent session redelivers it after a reconnect or a restart. Messages are taken one at a time, in order.
 */
import type { IPublishPacket } from 'mqtt';
import { mqttSource } from '../../../shared/nodes/sources.js';
import { isStoreError } from '../../store/index.js';
import { closeMqtt, connectMqtt, sessionClientId, type MqttClient } from '../../transport/mqtt-client.js';
import type { NodeFactory, SourceIO } from '../node.js';
import { configOf } from './config.js';
import { mapMessage, type MqttMessage } from './mqtt-message.js';
import { RecentDeliveries } from './mqtt-redelivery.js';

/** How long `start` waits for the first subscription before the flow runs on (the client keeps trying). */
const START_WAIT_MS = 3_000;
const RETRY_BASE_MS = 100;
const RETRY_MAX_MS = 5_000;
/** MQTT v5 reason code "implementation specific error": the message is refused, not redelivered. */
const REFUSED = 131;

type Outcome = 'stored' | 'refused' | 'stopped';

function messageOf(packet: IPublishPacket): MqttMessage {
  const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
  const userProperties = packet.properties?.userProperties as Record<string, string | string[]> | undefined;
  return {
    topic: packet.topic,
    payload,
    qos: packet.qos,
    retain: packet.retain,
    ...(userProperties ? { userProperties } : {}),
  };
}

export const mqtt: NodeFactory = (ctx) => {
  const config = configOf(mqttSource, ctx);
  const clientId = sessionClientId({ flowId: ctx.flowId, nodeId: ctx.node.id, role: 'in', subscription: `${config.url} ${config.topic} ${config.qos}` });
  let client: MqttClient | undefined;
  let io: SourceIO | undefined;
  let stopping = false;
  const inFlight = new Set<Promise<Outcome>>();
  const wakeOnStop = new Set<() => void>();
  const recent = new RecentDeliveries();

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakeOnStop.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakeOnStop.add(done);
    });

  /** What a dead letter says of a message the store refused: where it came from and its payload, in base64 (the first 64 KiB). */
  const describeRefused = (packet: IPublishPacket): Record<string, unknown> => {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : Buffer.from(packet.payload);
    return {
      topic: packet.topic,
      qos: packet.qos,
      payloadBytes: payload.length,
      payloadBase64: payload.subarray(0, 64 * 1024).toString('base64'),
    };
  };

  /** Stores the message's event, retrying while the store is unavailable; never acknowledges on its own. */
  const ingest = async (packet: IPublishPacket): Promise<Outcome> => {
    const source = io;
    if (!source) return 'stopped';
    const message = messageOf(packet);
    const { produced, warnings } = mapMessage(message, config);
    for (const warning of warnings) source.log('mqtt message: ' + warning, { topic: packet.topic });
    const delivery = { messageId: packet.messageId, topic: packet.topic, payload: message.payload, dup: packet.dup, qos: packet.qos };
    const storedAs = recent.idFor(delivery);
    if (storedAs !== undefined) produced.id = storedAs;
    for (let attempt = 0; ; attempt++) {
      if (stopping || !source.running) return 'stopped';
      try {
        await source.admit();
        if (stopping || !source.running) return 'stopped';
        const [event] = await source.produce([produced]);
        if (event) recent.remember(delivery, event.id);
        return 'stored';
      } catch (error) {
        if (isStoreError(error, 'invalid_event') || isStoreError(error, 'duplicate_conflict')) {
          source.log('mqtt message refused: it does not make a valid event; sent to the dead letters', { topic: packet.topic, error: String(error) });
          await source.reject({ code: error.code, message: error.message }, describeRefused(packet));
          return 'refused';
        }
        source.log('mqtt message not stored yet; retrying', { topic: packet.topic, attempt, error: String(error) });
        await pause(Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempt));
      }
    }
  };

  const track = (work: Promise<Outcome>): Promise<Outcome> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    return work;
  };

  const subscribe = async (mqttClient: MqttClient): Promise<void> => {
    await mqttClient.subscribeAsync(config.topic, { qos: config.qos });
  };

  return {
    start: async (sourceIO) => {
      io = sourceIO;
      const log = sourceIO.log;
      const mqttClient = connectMqtt({
        url: config.url,
        clientId,
        persistentSession: true,
        // QoS 1 and 2: the acknowledgement waits for the commit. A stopped source never acknowledges.
        customHandleAcks: (_topic, _payload, packet, done) => {
          void track(ingest(packet)).then(
            (outcome) => {
              if (outcome === 'stored') done(0);
              else if (outcome === 'refused') done(REFUSED);
            },
            (error: unknown) => log('mqtt message failed', { error: String(error) }),
          );
        },
      });
      client = mqttClient;
      // QoS 0 messages arrive here; QoS 1/2 ones were stored before they were acknowledged.
      mqttClient.handleMessage = (packet, callback) => {
        if (packet.qos !== 0) return callback();
        void track(ingest(packet)).then(
          (outcome) => {
            if (outcome !== 'stopped') callback();
          },
          (error: unknown) => log('mqtt message failed', { error: String(error) }),
        );
      };

      let subscribed: () => void = () => undefined;
      const firstSubscription = new Promise<void>((resolve) => (subscribed = resolve));
      mqttClient.on('connect', (connack) => {
        if (connack.sessionPresent) return subscribed();
        subscribe(mqttClient).then(subscribed, (error: unknown) => log('mqtt subscribe failed', { topic: config.topic, error: String(error) }));
      });
      mqttClient.on('error', (error) => log('mqtt connection error', { url: config.url, error: error.message }));
      mqttClient.on('offline', () => log('mqtt broker unreachable; reconnecting', { url: config.url }));

      let timer: NodeJS.Timeout | undefined;
      const bounded = new Promise<void>((resolve) => (timer = setTimeout(resolve, START_WAIT_MS)));
      await Promise.race([firstSubscription, bounded]);
      clearTimeout(timer);
    },
    stop: async () => {
      stopping = true;
      for (const wake of [...wakeOnStop]) wake();
      // An append in progress completes and is acknowledged; the rest stay with the broker's session.
      await Promise.allSettled([...inFlight]);
      if (client) await closeMqtt(client);
      client = undefined;
    },
  };
};
