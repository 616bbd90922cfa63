/**
 * The replicas' messages over NATS: JSON published on a subject, handed to a callback on each replica subscribed to
 * it. Connections reconnect on their own (the client's default, without limit) and a replica that missed messages
 * while away catches up by its own means: nothing sent here is the only record of anything.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { z } from 'zod';

export interface MessageBus {
  /** Sends a message; a payload over the server's limit (or a closed connection) is reported, never thrown. */
  publish(subject: string, message: unknown): void;
  /**
   * Calls `onMessage` with each message on `subject` (wildcards allowed) that `schema` accepts; others are logged and
   * ignored, and so is a callback that throws. Returns the unsubscribe.
   */
  subscribe<S extends z.ZodType>(subject: string, schema: S, onMessage: (message: z.output<S>, subject: string) => void): () => void;
  /** Sends what is buffered, then closes. */
  close(): Promise<void>;
}

export interface NatsOptions {
  url: string;
  /** The connection's name, as the NATS server lists it. */
  name: string;
  log?: (message: string, details?: Record<string, unknown>) => void;
}

export async function connectNats(options: NatsOptions): Promise<MessageBus> {
  const nc: NatsConnection = await connect({ servers: options.url, name: options.name, maxReconnectAttempts: -1, timeout: 5000 });
  const log = options.log ?? (() => undefined);
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnect') log(`NATS ${s.type}`, { server: 'server' in s ? s.server : undefined });
    }
  })().catch(() => undefined);
  return {
    publish(subject, message) {
      try {
        nc.publish(subject, JSON.stringify(message));
      } catch (error) {
        log('a message could not be sent over NATS', { subject, error: String(error) });
      }
    },
    subscribe(subject, schema, onMessage) {
      const subscription = nc.subscribe(subject, {
        callback: (error, msg) => {
          if (error) return log('a NATS subscription failed', { subject, error: String(error) });
          let parsed;
          try {
            parsed = schema.safeParse(msg.json());
          } catch {
            return log('a NATS message that is not JSON was ignored', { subject: msg.subject });
          }
          if (!parsed.success) return log('a NATS message of the wrong shape was ignored', { subject: msg.subject });
          try {
            onMessage(parsed.data, msg.subject);
          } catch (failure) {
            log('handling a NATS message failed', { subject: msg.subject, error: String(failure) });
          }
        },
      });
      return () => subscription.unsubscribe();
    },
    async close() {
      await nc.drain().catch(() => nc.close());
    },
  };
}
