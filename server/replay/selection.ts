/**
 * Choosing what a replay feeds and what it compares against, from the live namespace:
 * - inputs: the events that entered the flow (no cause): published events whose type one of the flow's http
 *   sources takes, and events the flow's own sources produced; within the time range and filter, or of one
 *   correlation chain;
 * - originals: every event the flow derived from those inputs, down the causation chains.
 */
import { typeMatches, type StoredEvent } from '../../shared/event.js';
import type { RuntimeGraph } from '../compiler/compile.js';
import { readPages } from '../store/read-pages.js';
import type { EventStore, ReadOptions } from '../store/types.js';

export interface ReplaySelection {
  from?: string;
  to?: string;
  filter?: { type?: string; source?: string; process?: string; correlationId?: string };
}

/** Every event matching `options` that `keep` keeps. */
export async function readAll(store: EventStore, options: ReadOptions, keep: (e: StoredEvent) => boolean = () => true): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const page of readPages(store, options)) for (const e of page) if (keep(e)) out.push(e);
  return out;
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

export async function selectInputs(store: EventStore, graph: RuntimeGraph, selection: ReplaySelection): Promise<StoredEvent[]> {
  const f = selection.filter ?? {};
  const options: ReadOptions = {};
  if (selection.from) options.from = selection.from;
  if (selection.to) options.to = selection.to;
  if (f.type) options.types = [f.type];
  if (f.source) options.source = f.source;
  if (f.process) options.process = f.process;
  if (f.correlationId) options.correlationId = f.correlationId;
  return readAll(store, options, (e) => entersFlow(graph, e));
}

/** The events the flow derived from `inputs`, following causation links forward. */
export async function selectOriginals(store: EventStore, flowId: string, inputs: readonly StoredEvent[]): Promise<StoredEvent[]> {
  if (inputs.length === 0) return [];
  const known = new Set(inputs.map((e) => e.id));
  const first = inputs.reduce((min, e) => Math.min(min, e.position), Infinity);
  return readAll(store, { flowId, after: first - 1 }, (e) => {
    if (e.causationId === null || e.nodeId === null || !known.has(e.causationId)) return false;
    known.add(e.id);
    return true;
  });
}
