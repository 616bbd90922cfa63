import { randomBytes } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectNats } from './nats.js';
import { natsAvailable, TEST_NATS_URL } from './testing/nats.js';

const available = await natsAvailable();

describe.skipIf(!available)('messages over NATS', () => {
  it('hands on only messages its schema accepts, and survives garbage and a callback that throws', async () => {
    const logged: string[] = [];
    const bus = await connectNats({ url: TEST_NATS_URL, name: 'test', log: (message) => logged.push(message) });
    const raw = await connect({ servers: TEST_NATS_URL });
    const subject = `causeway.test-${randomBytes(4).toString('hex')}.status`;
    const got: number[] = [];
    const off = bus.subscribe(subject, z.object({ n: z.number() }), ({ n }) => {
      if (n === 2) throw new Error('a handler that fails');
      got.push(n);
    });
    try {
      // The subscription is in place once a message sent after it comes back.
      const ready = raw.subscribe(subject, { max: 1 });
      await raw.flush();
      bus.publish(subject, { n: 0 });
      for await (const _ of ready) break;
      while (!got.includes(0)) await new Promise((resolve) => setTimeout(resolve, 10));
      got.length = 0;
      raw.publish(subject, 'not json {');
      raw.publish(subject, JSON.stringify({ n: 'one' }));
      raw.publish(subject, new Uint8Array([0, 255, 254]));
      bus.publish(subject, { n: 1 });
      bus.publish(subject, { n: 2 });
      bus.publish(subject, { n: 3 });
      const deadline = Date.now() + 5000;
      // Two connections: the garbage and the good messages may arrive in either order.
      while ((got.length < 2 || logged.length < 3) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(got).toEqual([1, 3]);
      expect(logged).toEqual(expect.arrayContaining(['a NATS message that is not JSON was ignored', 'a NATS message of the wrong shape was ignored', 'handling a NATS message failed']));
    } finally {
      off();
      await raw.close();
      await bus.close();
    }
  });
});
