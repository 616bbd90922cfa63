import { describe, expect, it } from 'vitest';
import { RecentDeliveries, type Delivery } from './mqtt-redelivery.js';

const delivery = (overrides: Partial<Delivery> = {}): Delivery => ({
  messageId: 7,
  topic: 'plant/sensor-1/temp',
  payload: Buffer.from('{"t":4}'),
  dup: false,
  qos: 1,
  ...overrides,
});

describe('recent deliveries', () => {
  it('gives a redelivered message (DUP, same packet id, topic and payload) the id of the event already stored', () => {
    const recent = new RecentDeliveries();
    recent.remember(delivery(), 'event-1');
    expect(recent.idFor(delivery({ dup: true }))).toBe('event-1');
  });

  it('treats a message without the DUP flag as new even when packet id and payload repeat', () => {
    const recent = new RecentDeliveries();
    recent.remember(delivery(), 'event-1');
    expect(recent.idFor(delivery())).toBeUndefined();
  });

  it('does not match a different payload, topic or packet id', () => {
    const recent = new RecentDeliveries();
    recent.remember(delivery(), 'event-1');
    expect(recent.idFor(delivery({ dup: true, payload: Buffer.from('{"t":5}') }))).toBeUndefined();
    expect(recent.idFor(delivery({ dup: true, topic: 'plant/sensor-2/temp' }))).toBeUndefined();
    expect(recent.idFor(delivery({ dup: true, messageId: 8 }))).toBeUndefined();
  });

  it('remembers nothing for QoS 0, which is never redelivered', () => {
    const recent = new RecentDeliveries();
    recent.remember(delivery({ qos: 0 }), 'event-1');
    expect(recent.idFor(delivery({ qos: 0, dup: true }))).toBeUndefined();
  });

  it('forgets the oldest beyond its capacity', () => {
    const recent = new RecentDeliveries(2);
    recent.remember(delivery({ messageId: 1 }), 'a');
    recent.remember(delivery({ messageId: 2 }), 'b');
    recent.remember(delivery({ messageId: 3 }), 'c');
    expect(recent.idFor(delivery({ messageId: 1, dup: true }))).toBeUndefined();
    expect(recent.idFor(delivery({ messageId: 3, dup: true }))).toBe('c');
  });
});
