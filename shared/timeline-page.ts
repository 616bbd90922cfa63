/**
 * The timeline's compact page of events (`GET /api/timeline/events`): only what the space-time diagram needs,
 * column by column. Repeated strings (type, source, process, flow, node) are sent once in `strings` and the
 * columns hold their index (-1: none). A correlation id equal to the event's own id (a chain's root, most events)
 * is sent as null. Pure: the server encodes, the web decodes.
 */
import { z } from 'zod';
import type { VectorClock } from './clock.js';
import { VectorClockSchema, type StoredEvent } from './event.js';

/** One event as the timeline holds it: everything but the payload, metadata, stream and subject. */
export interface TimelineRecord {
  id: string;
  position: number;
  type: string;
  source: string;
  process: string;
  /** Milliseconds since the epoch. */
  time: number;
  vectorClock: VectorClock;
  correlationId: string;
  causationId: string | null;
  flowId: string | null;
  nodeId: string | null;
}

/** Column indexes into `strings`: -1 for none. */
const refs = z.array(z.number().int().min(-1));

export const TimelinePageSchema = z
  .strictObject({
    strings: z.array(z.string()),
    position: z.array(z.number().int().positive()),
    id: z.array(z.string()),
    type: refs,
    source: refs,
    process: refs,
    flowId: refs,
    nodeId: refs,
    time: z.array(z.number()).meta({ description: 'Milliseconds since the epoch.' }),
    vectorClock: z.array(VectorClockSchema),
    correlationId: z.array(z.string().nullable()).meta({ description: "null: the event's own id." }),
    causationId: z.array(z.string().nullable()),
    next: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'Where the next page starts (`after` reading forwards, `before` reading backwards), or null at the end.' }),
  })
  .meta({ id: 'TimelinePage', description: 'Events column by column: the i-th entry of every column is the i-th event.' });
export type TimelinePage = z.infer<typeof TimelinePageSchema>;

export const toTimelineRecord = (e: StoredEvent): TimelineRecord => ({
  id: e.id,
  position: e.position,
  type: e.type,
  source: e.source,
  process: e.process,
  time: Date.parse(e.time),
  vectorClock: e.vectorClock,
  correlationId: e.correlationId,
  causationId: e.causationId,
  flowId: e.flowId,
  nodeId: e.nodeId,
});

/** Events (in position order) as one page. */
export function encodeTimelinePage(events: readonly StoredEvent[], next: number | null): TimelinePage {
  const index = new Map<string, number>();
  const strings: string[] = [];
  const ref = (s: string | null): number => {
    if (s === null) return -1;
    let k = index.get(s);
    if (k === undefined) {
      k = strings.length;
      index.set(s, k);
      strings.push(s);
    }
    return k;
  };
  const page: TimelinePage = {
    strings,
    position: [],
    id: [],
    type: [],
    source: [],
    process: [],
    flowId: [],
    nodeId: [],
    time: [],
    vectorClock: [],
    correlationId: [],
    causationId: [],
    next,
  };
  for (const e of events) {
    page.position.push(e.position);
    page.id.push(e.id);
    page.type.push(ref(e.type));
    page.source.push(ref(e.source));
    page.process.push(ref(e.process));
    page.flowId.push(ref(e.flowId));
    page.nodeId.push(ref(e.nodeId));
    page.time.push(Date.parse(e.time));
    page.vectorClock.push(e.vectorClock);
    page.correlationId.push(e.correlationId === e.id ? null : e.correlationId);
    page.causationId.push(e.causationId);
  }
  return page;
}

/** A page back as records, in its order. */
export function decodeTimelinePage(page: TimelinePage): TimelineRecord[] {
  const { strings } = page;
  const text = (k: number | undefined): string | null => (k === undefined || k < 0 ? null : (strings[k] ?? null));
  const records = new Array<TimelineRecord>(page.id.length);
  for (let i = 0; i < page.id.length; i++) {
    const id = page.id[i]!;
    records[i] = {
      id,
      position: page.position[i]!,
      type: text(page.type[i]) ?? '',
      source: text(page.source[i]) ?? '',
      process: text(page.process[i]) ?? '',
      time: page.time[i]!,
      vectorClock: page.vectorClock[i] ?? {},
      correlationId: page.correlationId[i] ?? id,
      causationId: page.causationId[i] ?? null,
      flowId: text(page.flowId[i]),
      nodeId: text(page.nodeId[i]),
    };
  }
  return records;
}
