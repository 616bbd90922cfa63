/** For tests that talk to the real NATS (JetStream on 127.0.0.1:4222): whether it answers; missing, a test skips, except in CI where it fails. */
import { connect } from '@nats-io/transport-node';

export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

export async function natsAvailable(): Promise<boolean> {
  try {
    const nc = await connect({ servers: TEST_NATS_URL, timeout: 2000, reconnect: false });
    await nc.close();
    return true;
  } catch {
    const message = `no NATS at ${TEST_NATS_URL}`;
    if (process.env.CI === 'true') throw new Error(`${message}: the cluster tests need it in CI`);
    console.warn(`${message}: skipping the cluster tests`);
    return false;
  }
}
