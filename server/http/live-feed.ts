/**
 * The stored events' live stream, shared by every `/api/events/live` client: one store subscription while any client
 * follows; each event is framed once as an SSE message (`id:` its position), and the frames of one batch are joined
 * once per filter and appended to that filter's tape, which every stream with that filter reads (see `fanout.ts`).
 * A client that starts behind the feed takes its place on the tape at once, paused, catches up from the store at the
 * pace its socket takes, then reads on from its place; if the tape gets too far ahead of it meanwhile, it is told it
 * fell behind. A client that starts ahead of the feed waits for it. Every client gets each matching event after its
 * start once, in position order.
 */
import type { StoredEvent } from '../../shared/event.js';
import { compileFilter, type EventStore, type Subscription } from '../store/index.js';
import { Tape } from './fanout.js';
import { sseFrame, type SseChannel } from './sse.js';

export interface LiveFilter {
  types?: string[];
  flowId?: string;
}

export interface LiveFeedOptions {
  /** Events read at once, live and while catching up. */
  batchSize?: number;
  onError?: (error: unknown) => void;
}

const DEFAULT_BATCH_SIZE = 200;

/** A client that asked to start after where the feed is: it joins once the feed gets there. */
interface Waiter {
  channel: SseChannel;
  after: number;
}

interface Group {
  key: string;
  matches: (event: StoredEvent) => boolean;
  tape: Tape;
  waiting: Set<Waiter>;
  /** Streams with this filter, waiting or not. */
  channels: Set<SseChannel>;
}

/** One SSE message per event; an event's frame is built once however many filters match it. */
const frameOf = (event: StoredEvent, frames: Map<StoredEvent, Buffer>): Buffer => {
  let frame = frames.get(event);
  if (!frame) frames.set(event, (frame = sseFrame('event', JSON.stringify(event), String(event.position))));
  return frame;
};

const joined = (frames: Buffer[]): Buffer => (frames.length === 1 ? frames[0]! : Buffer.concat(frames));

/** One key per filter meaning, so streams asking for the same events share their frames. */
const keyOf = (filter: LiveFilter): string => JSON.stringify([[...new Set(filter.types ?? [])].sort(), filter.flowId ?? null]);

export class LiveFeed {
  private readonly groups = new Map<string, Group>();
  /** Clients following or about to: the subscription runs while there are any. */
  private clients = 0;
  private subscription: Subscription | null = null;
  private starting: Promise<void> | null = null;
  /** Every live event up to here went through the feed (or came before it started). */
  private position = 0;
  private readonly batchSize: number;

  constructor(
    private readonly store: EventStore,
    private readonly options: LiveFeedOptions = {},
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  }

  /** Sends `channel` every live event matching `filter` after position `after`; resolves with the detach. */
  async follow(channel: SseChannel, filter: LiveFilter, after: number): Promise<() => void> {
    this.clients++;
    try {
      await this.run();
    } catch (error) {
      this.leave();
      throw error;
    }
    if (channel.closed) {
      this.leave();
      return () => undefined;
    }
    // From here to the end of this turn the feed delivers nothing: `position` splits the catch-up from the tape.
    const group = this.groupOf(filter);
    group.channels.add(channel);
    let waiter: Waiter | undefined;
    if (after > this.position) {
      waiter = { channel, after };
      group.waiting.add(waiter);
    } else if (after === this.position) {
      channel.follow(group.tape);
    } else {
      channel.follow(group.tape, { paused: true });
      void this.catchUp(channel, filter, after, this.position);
    }
    let detached = false;
    return () => {
      if (detached) return;
      detached = true;
      if (waiter) group.waiting.delete(waiter);
      group.channels.delete(channel);
      if (group.channels.size === 0 && this.groups.get(group.key) === group) this.groups.delete(group.key);
      this.leave();
    };
  }

  private leave(): void {
    if (--this.clients === 0) this.stop();
  }

  private groupOf(filter: LiveFilter): Group {
    const key = keyOf(filter);
    let group = this.groups.get(key);
    if (!group) {
      const matches = compileFilter(filter);
      group = { key, matches: (event) => matches(event, ''), tape: new Tape(), waiting: new Set(), channels: new Set() };
      this.groups.set(key, group);
    }
    return group;
  }

  private run(): Promise<void> {
    if (this.subscription) return Promise.resolve();
    this.starting ??= (async () => {
      try {
        const head = await this.store.head();
        this.position = head;
        this.subscription = this.store.subscribe({
          after: head,
          batchSize: this.batchSize,
          onEvents: (events) => this.deliver(events),
          onError: (error) => this.fail(error),
        });
      } finally {
        this.starting = null;
      }
    })();
    return this.starting;
  }

  private stop(): void {
    this.subscription?.close();
    this.subscription = null;
  }

  /** The subscription failed: streams end (their clients reconnect and resume), and the next client starts anew. */
  private fail(error: unknown): void {
    this.options.onError?.(error);
    this.subscription = null;
    const groups = [...this.groups.values()];
    this.groups.clear();
    for (const group of groups) for (const channel of group.channels) channel.end();
  }

  private deliver(events: StoredEvent[]): void {
    const last = events[events.length - 1];
    if (!last) return;
    const frames = new Map<StoredEvent, Buffer>();
    for (const group of this.groups.values()) {
      const matching = events.filter(group.matches);
      if (matching.length > 0) group.tape.append(joined(matching.map((e) => frameOf(e, frames))), String(matching[matching.length - 1]!.position));
      for (const waiter of group.waiting) {
        if (waiter.after > last.position) continue;
        group.waiting.delete(waiter);
        const fresh = matching.filter((e) => e.position > waiter.after);
        if (fresh.length > 0) waiter.channel.sendFrame(joined(fresh.map((e) => frameOf(e, frames))), String(fresh[fresh.length - 1]!.position));
        waiter.channel.follow(group.tape);
      }
    }
    this.position = last.position;
  }

  /** Sends the matching events in (after, upTo] from the store, then lets the stream read on from its tape. */
  private async catchUp(channel: SseChannel, filter: LiveFilter, after: number, upTo: number): Promise<void> {
    try {
      let cursor = after;
      while (!channel.closed && cursor < upTo) {
        const page = await this.store.read({ ...filter, after: cursor, limit: this.batchSize });
        for (const event of page) {
          if (event.position > upTo || channel.closed) break;
          const frame = sseFrame('event', JSON.stringify(event), String(event.position));
          // Send only as fast as the client takes: catching up never fills more than half the stream's buffer.
          if (channel.queuedBytes > 0 && channel.queuedBytes + frame.byteLength > channel.bufferBytes / 2) await channel.drained();
          channel.sendFrame(frame, String(event.position));
        }
        if (page.length < this.batchSize) break;
        cursor = page[page.length - 1]!.position;
      }
    } catch (error) {
      this.options.onError?.(error);
      channel.end();
      return;
    }
    channel.resume();
  }
}
