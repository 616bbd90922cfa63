/**
 * For tests that talk to the real broker: whether it is there (a missing broker skips, except in CI where it
 * fails), and a TCP relay in front of it that a test can cut and restore to act out a broker going away.
 */
import { connect as tcpConnect, createServer, type Server, type Socket } from 'node:net';

export const BROKER_HOST = '127.0.0.1';
export const BROKER_PORT = 1883;
export const BROKER_URL = `mqtt://${BROKER_HOST}:${BROKER_PORT}`;

function canConnect(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** True when the broker answers; when it does not, throws in CI and warns (so the caller skips) elsewhere. */
export async function brokerAvailable(): Promise<boolean> {
  if (await canConnect(BROKER_HOST, BROKER_PORT)) return true;
  const message = `no MQTT broker at ${BROKER_URL}`;
  if (process.env.CI === 'true') throw new Error(`${message}: the MQTT tests need it in CI`);
  console.warn(`${message}: skipping the MQTT tests`);
  return false;
}

/** MQTT control packet types (the high nibble of the first byte). */
export const PACKET = { PUBLISH: 3, PUBACK: 4, PUBREC: 5, SUBSCRIBE: 8, DISCONNECT: 14 } as const;

export interface SeenPacket {
  type: number;
  at: number;
}

/**
 * Splits a byte stream into MQTT packets (fixed header: type, then the remaining length as a variable-length
 * integer) and reports the type of each.
 */
export function packetTypes(onPacket: (type: number) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      let length = 0;
      let multiplier = 1;
      let index = 1;
      let complete = false;
      while (index < pending.length && index <= 4) {
        const byte = pending[index]!;
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        index++;
        if ((byte & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete || pending.length < index + length) return;
      onPacket(pending[0]! >> 4);
      pending = pending.subarray(index + length);
    }
  };
}

export interface Relay {
  url: string;
  /** The packets the client sent towards the broker, in order, with when they passed. */
  fromClient: SeenPacket[];
  /** Drops every connection and refuses new ones: the broker is gone. */
  cut(): void;
  /** Accepts connections again. */
  restore(): void;
  close(): Promise<void>;
}

/** A TCP relay to the broker on a free local port. */
export async function startRelay(): Promise<Relay> {
  const sockets = new Set<Socket>();
  const fromClient: SeenPacket[] = [];
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) return client.destroy();
    const upstream = tcpConnect({ host: BROKER_HOST, port: BROKER_PORT });
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    const observe = packetTypes((type) => fromClient.push({ type, at: Date.now() }));
    client.on('data', observe);
    client.pipe(upstream).pipe(client);
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the relay has no port');
  return {
    url: `mqtt://127.0.0.1:${address.port}`,
    fromClient,
    cut: () => {
      open = false;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore: () => {
      open = true;
    },
    close: async () => {
      open = false;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
