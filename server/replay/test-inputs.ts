/**
 * The events a flow test runs, from what its request names: hand-written CloudEvents (made whole: an id and a source
 * when missing), stored events by id, and the last N events that entered by a source of the flow — each with the
 * source node it enters by. The live store is only read here. Refusals are FlowTestErrors with a code.
 */
import type { TestEvent, TestInput } from '../../shared/api/flow-tests.js';
import { MAX_TEST_EVENTS } from '../../shared/api/flow-tests.js';
import { typeMatches, type StoredEvent } from '../../shared/event.js';
import type { RuntimeGraph } from '../compiler/compile.js';
import type { EventStore, ReadOptions } from '../store/index.js';
import { FlowTestError } from './test-error.js';

/** An event to run and the source node it enters by. */
export interface TestFeed {
  source: string;
  event: StoredEvent;
}

/** How far back (in positions) the last events of a source are looked for, a window at a time. */
export const RECENT_WINDOW = 10_000;
export const RECENT_WINDOWS = 10;

const typesOf = (graph: RuntimeGraph, id: string): string[] => (graph.nodes.get(id)?.config as { types?: string[] } | undefined)?.types ?? ['*'];

/** Whether a stored event entered the flow by this source: published with a type it takes, or produced by it. */
function enteredBy(graph: RuntimeGraph, source: string, event: StoredEvent): boolean {
  if (event.causationId !== null) return false;
  if (event.flowId !== null || event.nodeId !== null) return event.flowId === graph.flowId && event.nodeId === source;
  return graph.nodes.get(source)?.type === 'http' && typesOf(graph, source).some((t) => typeMatches(t, event.type));
}

/** The source an event enters by when the input names none. */
function defaultSource(graph: RuntimeGraph, event: StoredEvent): string {
  if (event.flowId === graph.flowId && event.nodeId !== null && graph.sources.includes(event.nodeId)) return event.nodeId;
  return graph.sources.find((id) => graph.nodes.get(id)?.type === 'http' && typesOf(graph, id).some((t) => typeMatches(t, event.type))) ?? graph.sources[0]!;
}

/** A hand-written event as the store would keep it: published from outside, on its own (no cause). */
export function storedEventOf(event: TestEvent, index: number, now: string): StoredEvent {
  const id = event.id ?? `test-${index + 1}`;
  return {
    id,
    type: event.type,
    source: event.source ?? 'causeway://test',
    time: event.time ?? now,
    subject: event.subject ?? null,
    datacontenttype: event.datacontenttype ?? (event.data === undefined ? null : 'application/json'),
    data: event.data ?? null,
    stream: event.subject ?? event.type,
    version: 1,
    position: index + 1,
    process: 'test',
    vectorClock: { test: index + 1 },
    correlationId: id,
    causationId: null,
    flowId: null,
    nodeId: null,
    revision: null,
    metadata: {},
  };
}

/** The last `count` events that entered by `source`, oldest first, looked for a window of positions at a time. */
async function lastOf(store: EventStore, graph: RuntimeGraph, source: string, count: number): Promise<StoredEvent[]> {
  const node = graph.nodes.get(source)!;
  const filter: ReadOptions = node.type === 'http' ? { types: typesOf(graph, source) } : { flowId: graph.flowId ?? '' };
  const found: StoredEvent[][] = [];
  let total = 0;
  let upTo = await store.head();
  for (let w = 0; w < RECENT_WINDOWS && upTo > 0 && total < count; w++) {
    const after = Math.max(0, upTo - RECENT_WINDOW);
    const page = (await store.read({ ...filter, after, limit: RECENT_WINDOW })).filter((e) => e.position <= upTo && enteredBy(graph, source, e));
    found.unshift(page);
    total += page.length;
    upTo = after;
  }
  return found.flat().slice(-count);
}

function sourceOf(graph: RuntimeGraph, named: string | undefined, path: string): string | undefined {
  if (named === undefined) return undefined;
  if (!graph.sources.includes(named)) throw new FlowTestError('not_a_source', `${path}.source: "${named}" is not a source node of the flow`, { path: `${path}.source` });
  return named;
}

/** The events of the request, in order, with their sources; at most MAX_TEST_EVENTS in all. */
export async function testFeeds(store: EventStore, graph: RuntimeGraph, inputs: readonly TestInput[]): Promise<TestFeed[]> {
  if (graph.sources.length === 0) throw new FlowTestError('no_source', 'flow: it has no source node for events to enter by', { path: 'flow.nodes' });
  const now = new Date().toISOString();
  const feeds: TestFeed[] = [];
  const seen = new Map<string, number>();
  for (const [i, input] of inputs.entries()) {
    const path = `inputs.${i}`;
    const named = sourceOf(graph, input.source, path);
    let events: StoredEvent[];
    if ('event' in input) events = [storedEventOf(input.event, i, now)];
    else if ('eventId' in input) {
      const stored = await store.get(input.eventId);
      if (!stored) throw new FlowTestError('event_not_found', `${path}.eventId: no stored event has the id "${input.eventId}"`, { path: `${path}.eventId` });
      events = [stored];
    } else events = await lastOf(store, graph, named!, input.last);
    for (const event of events) {
      // The test's store keeps one event per id: a second with the same id (picked twice) gets an id of its own.
      const copies = (seen.get(event.id) ?? 0) + 1;
      seen.set(event.id, copies);
      const unique = copies === 1 ? event : { ...event, id: `${event.id}#${copies}` };
      feeds.push({ source: named ?? defaultSource(graph, event), event: unique });
    }
    if (feeds.length > MAX_TEST_EVENTS) {
      throw new FlowTestError('too_many_events', `inputs: at most ${MAX_TEST_EVENTS} events in one test, these make ${feeds.length} or more`, { path: 'inputs' });
    }
  }
  return feeds;
}
