/**
 * Stamping the events that start a chain: those published to the engine from outside and those a source produces.
 * Each gets its process (its producer's, else a default), a vector clock, an id and a time, the same way for both.
 * The promise kept: every clock the events need is loaded first; then they are stamped and handed to the append
 * call in one turn, so no other stamping on those processes comes between, and the store receives each process's
 * events in the order of its counters.
 */
import type { VectorClock } from '../../shared/clock.js';
import type { EventDraft } from '../../shared/event.js';
import type { DeriveContext } from './derive.js';
import { newEventId } from './ids.js';
import type { Produced } from './node.js';
import { nowText } from './now.js';
import type { ProcessClocks } from './process-clocks.js';

/** What a producer may state of an event's stamp; the rest is filled in. */
export interface Stampable {
  id?: string;
  time?: string;
  /** The process that produced it (a device); default the producer's own. */
  process?: string;
  /** A clock its producer stamped: adopted if it moves the producer's counter on, merged otherwise. */
  vectorClock?: VectorClock;
}

export interface Stamp {
  id: string;
  time: string;
  process: string;
  vectorClock: VectorClock;
}

/** An event from outside (HTTP, a script): everything but id, type and source may be left out. */
export interface PublishInput extends Stampable {
  type: string;
  source: string;
  subject?: string | null;
  datacontenttype?: string | null;
  data?: unknown;
  stream?: string;
  expectedVersion?: number;
  correlationId?: string;
  causationId?: string | null;
  metadata?: Record<string, unknown>;
}

/** Stamps one item now: a clock the producer brought is adopted or received, otherwise its process ticks. */
export function stampOf(clocks: ProcessClocks, item: Stampable, defaultProcess: string): Stamp {
  const process = item.process ?? defaultProcess;
  const vectorClock = item.vectorClock ? clocks.adoptOrReceive(process, item.vectorClock) : clocks.local(process);
  return { id: item.id ?? newEventId(), time: item.time ?? nowText(), process, vectorClock };
}

/**
 * Loads the clocks of the items' processes, then stamps them, drafts them with `draftOf` and makes the `append`
 * call, all in one turn; resolves with what `append` resolves with.
 */
export async function stampAndAppend<I extends Stampable, R>(
  clocks: ProcessClocks,
  items: readonly I[],
  defaultProcess: string,
  draftOf: (item: I, stamp: Stamp) => EventDraft,
  append: (drafts: EventDraft[]) => Promise<R>,
): Promise<R> {
  // Mostly every clock is loaded already: then no promise, and no turn of the event loop.
  const loading = clocks.ensureAll(items.map((item) => item.process ?? defaultProcess));
  if (loading) await loading;
  const drafts: EventDraft[] = [];
  for (let i = 0; i < items.length; i++) drafts.push(draftOf(items[i]!, stampOf(clocks, items[i]!, defaultProcess)));
  return append(drafts);
}

/** An external event: a chain of its own unless it names one; its stream is its subject, else its source. */
export function publishedDraft(input: PublishInput, stamp: Stamp): EventDraft {
  return {
    id: stamp.id,
    type: input.type,
    source: input.source,
    time: stamp.time,
    subject: input.subject ?? null,
    datacontenttype: input.datacontenttype ?? (input.data === undefined ? null : 'application/json'),
    data: input.data ?? null,
    stream: input.stream ?? input.subject ?? input.source,
    expectedVersion: input.expectedVersion,
    process: stamp.process,
    vectorClock: stamp.vectorClock,
    correlationId: input.correlationId ?? stamp.id,
    causationId: input.causationId ?? null,
    flowId: null,
    nodeId: null,
    revision: null,
    metadata: input.metadata ?? {},
  };
}

/** An event a source node produced: a chain of its own, named after the node, on its `out` port, hop 0. */
export function producedDraft(ctx: DeriveContext, item: Produced, stamp: Stamp): EventDraft {
  return {
    id: stamp.id,
    type: item.type,
    source: item.source ?? ctx.source,
    time: stamp.time,
    subject: item.subject ?? null,
    datacontenttype: 'application/json',
    data: item.data,
    stream: item.stream ?? stamp.process,
    process: stamp.process,
    vectorClock: stamp.vectorClock,
    correlationId: stamp.id,
    causationId: null,
    flowId: ctx.flowId,
    nodeId: ctx.node.id,
    revision: ctx.revision,
    metadata: { ...item.metadata, port: 'out', hops: 0 },
  };
}
