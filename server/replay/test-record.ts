/**
 * What a flow test saw, node by node: the runtime tells it of every event a port passes on (`onDeliver`), and from
 * the graph's wires it follows who received it. A dead letter (port `$deadletter`) is an error of the node that made
 * it, on the input it names. Lists keep the first MAX_LISTED_PER_NODE entries; the counts count everything.
 */
import { MAX_LISTED_PER_NODE, type FlowTestResult, type TestNodeResult } from '../../shared/api/flow-tests.js';
import type { StoredEvent } from '../../shared/event.js';
import type { RuntimeGraph } from '../compiler/compile.js';
import { DEADLETTER_PORT } from '../runtime/derive.js';
import type { RecordedEffect } from '../runtime/node.js';

/** The most effects and debug messages an answer lists. */
export const MAX_LISTED_EFFECTS = 1000;

const emptyNode = (): TestNodeResult => ({ received: [], emitted: [], errors: [], counts: { received: 0, emitted: 0, errors: 0 } });

const keep = <T>(list: T[], item: T, max = MAX_LISTED_PER_NODE) => {
  if (list.length < max) list.push(item);
};

/** What a dead letter says of its input and its error. */
function failureOf(letter: StoredEvent): { eventId: string; code: string; message: string } {
  const data = (letter.data ?? {}) as { error?: { code?: unknown; message?: unknown }; event?: { id?: unknown } };
  return {
    eventId: typeof data.event?.id === 'string' ? data.event.id : (letter.causationId ?? ''),
    code: typeof data.error?.code === 'string' ? data.error.code : 'failed',
    message: typeof data.error?.message === 'string' ? data.error.message : 'the node failed on this input',
  };
}

export class TestRecord {
  readonly nodes: Record<string, TestNodeResult> = {};
  readonly effects: RecordedEffect[] = [];
  readonly debug: { nodeId: string; event: StoredEvent }[] = [];
  /** The inputs given, by id, and how many of them the runtime has passed on from their sources so far. */
  private readonly inputs = new Set<string>();
  dispatched = 0;

  constructor(private readonly graph: Pick<RuntimeGraph, 'nodes' | 'outgoing'>) {
    for (const id of graph.nodes.keys()) this.nodes[id] = emptyNode();
  }

  private node(id: string): TestNodeResult {
    return (this.nodes[id] ??= emptyNode());
  }

  /** An input entering the flow: its source received it. */
  entered(source: string, event: StoredEvent): void {
    const node = this.node(source);
    node.counts.received++;
    keep(node.received, event);
  }

  /** Inputs about to enter, by id: told before they are appended, as the runtime may pass them on at once. */
  expect(ids: readonly string[]): void {
    for (const id of ids) this.inputs.add(id);
  }

  /** The runtime's `onDeliver`: a port passed an event on. */
  delivered = (producer: string, port: string, event: StoredEvent): void => {
    const node = this.node(producer);
    if (port === DEADLETTER_PORT) {
      node.counts.errors++;
      keep(node.errors, failureOf(event));
      return;
    }
    if (event.nodeId === producer && this.inputs.has(event.id)) this.dispatched++;
    node.counts.emitted++;
    keep(node.emitted, { port, event });
    for (const wire of this.graph.outgoing.get(producer)?.get(port) ?? []) {
      const target = this.node(wire.target);
      target.counts.received++;
      keep(target.received, event);
    }
  };

  effect = (effect: RecordedEffect): void => keep(this.effects, effect, MAX_LISTED_EFFECTS);

  debugged = (nodeId: string, event: StoredEvent): void => keep(this.debug, { nodeId, event }, MAX_LISTED_EFFECTS);

  result(extra: Pick<FlowTestResult, 'inputs' | 'stopped' | 'warnings' | 'durationMs'>): FlowTestResult {
    return { ...extra, nodes: this.nodes, effects: this.effects, debug: this.debug };
  }
}
