/**
 * MQTT connections for node runtimes: protocol v5, automatic reconnects, and for subscribers a persistent
 * session (a stable client id, clean start off, a session expiry) so the broker keeps what arrives while the
 * connection is down and redelivers what was not acknowledged.
 */
import { createHash } from 'node:crypto';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';

export type { MqttClient } from 'mqtt';

/** How long the broker keeps a subscriber's session after it disconnects (seconds). */
export const SESSION_EXPIRY_SECONDS = 24 * 60 * 60;
const RECONNECT_PERIOD_MS = 1_000;
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * A client id that stays the same across restarts and redeploys of one node, and changes when what it
 * subscribes to changes (a new topic starts a new session instead of inheriting the old subscription).
 */
export function sessionClientId(parts: { flowId: string; nodeId: string; role: string; subscription?: string }): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([parts.flowId, parts.nodeId, parts.role, parts.subscription ?? '']))
    .digest('hex')
    .slice(0, 16);
  return `causeway-${parts.role}-${digest}`;
}

export interface MqttConnectOptions {
  url: string;
  clientId: string;
  /** Keep the session (and its queued messages) across disconnects. */
  persistentSession: boolean;
  /** Decide when an incoming QoS 1/2 message is acknowledged. */
  customHandleAcks?: IClientOptions['customHandleAcks'];
}

export function connectMqtt(options: MqttConnectOptions): MqttClient {
  return connect(options.url, {
    clientId: options.clientId,
    protocolVersion: 5,
    clean: !options.persistentSession,
    ...(options.persistentSession ? { properties: { sessionExpiryInterval: SESSION_EXPIRY_SECONDS } } : {}),
    reconnectPeriod: RECONNECT_PERIOD_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // Subscriptions live in the broker's session; the subscriber renews them itself when a session is new.
    resubscribe: false,
    ...(options.customHandleAcks ? { customHandleAcks: options.customHandleAcks } : {}),
  });
}

/** Ends a client: politely if it can within the bound, else forcibly. */
export async function closeMqtt(client: MqttClient, boundMs = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const polite = client.endAsync(false);
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), boundMs)));
  try {
    if ((await Promise.race([polite, late])) === 'late') await client.endAsync(true);
  } finally {
    clearTimeout(timer);
  }
}
