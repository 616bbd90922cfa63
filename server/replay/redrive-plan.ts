/**
 * What a re-drive runs, as data: the graph, the events fed into it, and which outputs of the live log are its
 * originals. Pure.
 *
 * A re-drive starts at the node that failed, with the very event it failed on, delivered by the wire it arrived by.
 * That is the faithful choice: the node sees exactly what it saw, its outputs get the ids they would have had (a
 * derived id is a hash of the input and the arrival wire, so the wire must be the same), and nothing before it runs
 * again — the nodes upstream and beside it already handled that input, and their outputs and effects are in the
 * log. Starting at the flow's entry would run them again (their sinks would send twice) for no gain. What follows
 * the failing node runs in the chosen revision as a replay does.
 *
 * The fed copy of an input keeps its id, source (what derived ids hash) and correlation but comes out of a producer
 * of the re-drive's own, `$redrive:<n>`, whose only wires are the arrival wires of its entries: the runtime then
 * delivers it to the failing node alone, not to every node wired after its original producer. It has no cause in the
 * replay, as any replayed input: it is compared as an input, not as an output.
 */
import { typeMatches, type StoredEvent } from '../../shared/event.js';
import type { CompiledNode, RuntimeGraph, Wire } from '../compiler/compile.js';
import { derivedEventId } from '../runtime/ids.js';

/** One dead letter to re-drive: the letter and the input its node failed on, as stored in the live log. */
export interface RedriveEntry {
  deadLetter: StoredEvent;
  input: StoredEvent;
}

/** Why an entry cannot run in the chosen revision. */
export interface Unrunnable {
  deadLetterId: string;
  code: 'node_not_in_revision' | 'no_wire_to_node';
  message: string;
}

export interface RedrivePlan {
  graph: RuntimeGraph;
  /** The inputs as fed, one per distinct input, in their live position order. */
  fed: StoredEvent[];
  /** Per input id: the nodes its outputs may come from (the failing nodes and all after them). */
  reach: Map<string, Set<string>>;
  /** Per dead letter id: the input it re-drives (runnable entries only). */
  inputOf: Map<string, string>;
  unrunnable: Unrunnable[];
}

/** The producer prefix of the re-drive's own entry nodes. */
export const REDRIVE_PRODUCER = '$redrive:';

const portOf = (e: StoredEvent) => (typeof e.metadata.port === 'string' ? e.metadata.port : 'out');

/** Every wire into `target`, with its producer and port. */
function wiresInto(graph: RuntimeGraph, target: string): { producer: string; port: string; wire: Wire }[] {
  const found: { producer: string; port: string; wire: Wire }[] = [];
  for (const [producer, ports] of graph.outgoing) {
    for (const [port, wires] of ports) for (const wire of wires) if (wire.target === target) found.push({ producer, port, wire });
  }
  return found;
}

/** Whether the input would leave `producer` by `port` in this graph. */
function producedBy(graph: RuntimeGraph, input: StoredEvent, producer: string, port: string): boolean {
  if (input.flowId === graph.flowId) return input.nodeId === producer && portOf(input) === port;
  const node = graph.nodes.get(producer);
  if (node?.type !== 'http' || port !== 'out') return false;
  return ((node.config as { types?: string[] }).types ?? ['*']).some((t) => typeMatches(t, input.type));
}

/**
 * The wires an entry's input reaches its node by in the chosen revision: the one the dead letter's id says it
 * came by, else those from the input's producer, else every wire into the node. A source's letter (an input set
 * aside) starts at what the source feeds.
 */
function arrivalWires(graph: RuntimeGraph, entry: RedriveEntry, node: CompiledNode): Wire[] {
  const into = wiresInto(graph, node.id);
  if (into.length === 0) return graph.outgoing.get(node.id)?.get('out') ?? [];
  const flowId = graph.flowId ?? '';
  const exact = into.find((w) => derivedEventId(flowId, node.id, entry.input, `${w.wire.edgeId}:deadletter`) === entry.deadLetter.id);
  if (exact) return [exact.wire];
  const fromProducer = into.filter((w) => producedBy(graph, entry.input, w.producer, w.port));
  return (fromProducer.length > 0 ? fromProducer : into).map((w) => w.wire);
}

/** The nodes reachable from `starts` (themselves included). */
function reachableFrom(graph: RuntimeGraph, starts: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const todo = [...starts];
  while (todo.length > 0) {
    const id = todo.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const wires of graph.outgoing.get(id)?.values() ?? []) for (const w of wires) todo.push(w.target);
  }
  return seen;
}

const producerNode = (id: string, process: string): CompiledNode => ({
  id,
  type: 'http',
  kind: 'source',
  behaviour: 'produce',
  name: id,
  process,
  config: { types: [] },
  inputs: [],
  outputs: ['out'],
});

/** The plan for re-driving `entries` through `graph` (compiled from the chosen revision, producing sources made inert). */
export function redrivePlan(graph: RuntimeGraph, entries: readonly RedriveEntry[]): RedrivePlan {
  const unrunnable: Unrunnable[] = [];
  const wiresOf = new Map<string, Map<string, Wire>>();
  const inputs = new Map<string, StoredEvent>();
  const inputOf = new Map<string, string>();
  for (const entry of entries) {
    const nodeId = entry.deadLetter.nodeId ?? '';
    const node = graph.nodes.get(nodeId);
    const deadLetterId = entry.deadLetter.id;
    if (!node) {
      unrunnable.push({ deadLetterId, code: 'node_not_in_revision', message: `node "${nodeId}" is not in revision ${graph.revision}` });
      continue;
    }
    const wires = arrivalWires(graph, entry, node);
    if (wires.length === 0) {
      unrunnable.push({ deadLetterId, code: 'no_wire_to_node', message: `no wire leads to node "${nodeId}" in revision ${graph.revision}` });
      continue;
    }
    const byEdge = wiresOf.get(entry.input.id) ?? new Map<string, Wire>();
    for (const w of wires) byEdge.set(w.edgeId, w);
    wiresOf.set(entry.input.id, byEdge);
    inputs.set(entry.input.id, entry.input);
    inputOf.set(deadLetterId, entry.input.id);
  }

  const nodes = new Map(graph.nodes);
  const outgoing = new Map(graph.outgoing);
  const incoming = new Map(graph.incoming);
  const producers = new Map<string, string>();
  const reach = new Map<string, Set<string>>();
  const fed: StoredEvent[] = [];
  for (const input of [...inputs.values()].sort((a, b) => a.position - b.position)) {
    const wires = [...wiresOf.get(input.id)!.values()];
    const key = wires.map((w) => w.edgeId).join('\u0000');
    let producer = producers.get(key);
    if (!producer) {
      producer = `${REDRIVE_PRODUCER}${producers.size}`;
      producers.set(key, producer);
      nodes.set(producer, producerNode(producer, input.process));
      outgoing.set(producer, new Map([['out', wires]]));
      incoming.set(producer, 0);
    }
    reach.set(input.id, reachableFrom(graph, wires.map((w) => w.target)));
    // No cause of its own in the replay: like any replayed input it is a root, not an output to compare.
    fed.push({ ...input, causationId: null, flowId: graph.flowId, nodeId: producer, metadata: { ...input.metadata, port: 'out' } });
  }
  return { graph: { ...graph, nodes, outgoing, incoming }, fed, reach, inputOf, unrunnable };
}
