/**
 * QoS 1/2 redelivery: a message whose acknowledgement was lost (the connection dropped between our commit and the
 * broker receiving the PUBACK) comes again with the DUP flag and the same packet id. Remembering the event id given
 * to each recent (packet id, topic, payload) lets the redelivered copy reuse that id, so the store keeps one event.
 * Only DUP packets are matched: a new message that happens to reuse a packet id and payload is a new event.
 */
import { createHash } from 'node:crypto';

export interface Delivery {
  messageId?: number | undefined;
  topic: string;
  payload: Uint8Array;
  dup: boolean;
  qos: number;
}

const keyOf = (d: Delivery): string | null =>
  d.qos === 0 || d.messageId === undefined ? null : `${d.messageId} ${d.topic} ${createHash('sha256').update(d.payload).digest('base64')}`;

export class RecentDeliveries {
  private readonly ids = new Map<string, string>();

  constructor(private readonly capacity = 4096) {}

  /** The event id a redelivered message must reuse, if this is a redelivery of one we stored. */
  idFor(delivery: Delivery): string | undefined {
    if (!delivery.dup) return undefined;
    const key = keyOf(delivery);
    return key === null ? undefined : this.ids.get(key);
  }

  remember(delivery: Delivery, eventId: string): void {
    const key = keyOf(delivery);
    if (key === null) return;
    this.ids.delete(key);
    this.ids.set(key, eventId);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.keys().next().value!);
  }
}
