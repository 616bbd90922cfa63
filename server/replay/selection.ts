/**
 * Choosing what a replay feeds and what it compares against, from the live namespace:
 * - inputs: the events that entered the flow (no cause): published events whose type one of the flow's http
 *   sources takes, and events the flow's own sources produced; within the time range and filter, or of one
 *   correlation chain;
 * - originals: every event the flow derived from those inputs, down the causation chains.
 * Both are read a page at a time, so a replay of many events never holds them all.
 */
import { typeMatches, type StoredEvent } from '../../shared/event.js';
import type { RuntimeGraph } from '../compiler/compile.js';
import { type EventStore, type ReadOptions, readPages } from '../store/index.js';

export interface ReplaySelection {
  from?: string;
  to?: string;
  filter?: { type?: string; source?: string; process?: string; correlationId?: string };
}

/** Whether a root event enters this flow. */
export function entersFlow(graph: RuntimeGraph, event: StoredEvent): boolean {
  if (event.causationId !== null) return false;
  if (event.flowId === graph.flowId) return event.nodeId !== null && graph.sources.includes(event.nodeId);
  if (event.flowId !== null || event.nodeId !== null) return false;
  for (const node of graph.nodes.values()) {
    if (node.type !== 'http') continue;
    const types = (node.config as { types?: string[] }).types ?? ['*'];
    if (types.some((t) => typeMatches(t, event.type))) return true;
  }
  return false;
}

const readOptionsOf = (selection: ReplaySelection): ReadOptions => {
  const f = selection.filter ?? {};
  const options: ReadOptions = {};
  if (selection.from) options.from = selection.from;
  if (selection.to) options.to = selection.to;
  if (f.type) options.types = [f.type];
  if (f.source) options.source = f.source;
  if (f.process) options.process = f.process;
  if (f.correlationId) options.correlationId = f.correlationId;
  return options;
};

/** The inputs, in position order, a page at a time: never all of them at once. */
export async function* inputPages(store: EventStore, graph: RuntimeGraph, selection: ReplaySelection): AsyncGenerator<StoredEvent[]> {
  for await (const page of readPages(store, readOptionsOf(selection))) {
    const inputs = page.filter((e) => entersFlow(graph, e));
    if (inputs.length > 0) yield inputs;
  }
}

/**
 * The events the flow derived from the inputs, following causation links forward, a page at a time, each with the
 * ordinal of the input its chain starts at. `roots` holds each input's id with its ordinal, and gains the id of
 * every derived event found (its effects are found by it).
 */
export async function* originalPages(
  store: EventStore,
  flowId: string,
  roots: Map<string, number>,
  firstInputPosition: number,
): AsyncGenerator<{ event: StoredEvent; root: number }[]> {
  if (roots.size === 0) return;
  for await (const page of readPages(store, { flowId, after: firstInputPosition - 1 })) {
    const originals: { event: StoredEvent; root: number }[] = [];
    for (const event of page) {
      if (event.causationId === null || event.nodeId === null) continue;
      const root = roots.get(event.causationId);
      if (root === undefined) continue;
      roots.set(event.id, root);
      originals.push({ event, root });
    }
    if (originals.length > 0) yield originals;
  }
}
