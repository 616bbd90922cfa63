/**
 * Which live events reached a node: the paths into it, each from a producer whose outputs are stored (a source, a
 * node that derives events, or an http source's outside events) through the pass-through nodes between (filter,
 * router …), which forward the same event without storing it. An event took a path when it is an output of the
 * path's producer port and each pass-through node forwards it by the port the path leaves it by; those nodes are
 * asked again (their expressions are pure). Throttle and dedupe decide by time and by what they saw before, which
 * the log does not replay: every event is taken to pass them.
 */
import type { StoredEvent } from '../../shared/event.js';
import { typeMatches } from '../../shared/event.js';
import type { CompiledNode, RuntimeGraph } from '../compiler/compile.js';
import { NodeFailure, type NodeHandler } from '../runtime/node.js';
import { NODE_RUNTIMES } from '../runtime/nodes/index.js';
import type { UserCodePool } from '../runtime/user-code/pool.js';

interface Path {
  /** The producer whose stored outputs enter, and by which port. */
  producer: CompiledNode;
  port: string;
  /** The pass-through nodes after it, in order, each with the port the path leaves it by. */
  through: { node: CompiledNode; port: string }[];
}

type Graph = Pick<RuntimeGraph, 'nodes' | 'outgoing'>;

/** Every path into `target`, through pass-through nodes (each visited once per path: a cycle ends the path). */
export function pathsInto(graph: Graph, target: string, visiting: ReadonlySet<string> = new Set()): Path[] {
  const paths: Path[] = [];
  for (const [producerId, ports] of graph.outgoing) {
    for (const [port, wires] of ports) {
      if (!wires.some((w) => w.target === target)) continue;
      const producer = graph.nodes.get(producerId);
      if (!producer || visiting.has(producerId)) continue;
      if (producer.behaviour !== 'forward') {
        paths.push({ producer, port, through: [] });
        continue;
      }
      for (const path of pathsInto(graph, producerId, new Set([...visiting, target]))) {
        paths.push({ ...path, through: [...path.through, { node: producer, port }] });
      }
    }
  }
  return paths;
}

const portOf = (e: StoredEvent) => (typeof e.metadata.port === 'string' ? e.metadata.port : 'out');

/** Whether a stored event is an output of the path's producer port. */
function startsPath(flowId: string, path: Path, e: StoredEvent): boolean {
  if (path.producer.type === 'http') return e.flowId === null && e.nodeId === null && (path.producer.config as { types: string[] }).types.some((t) => typeMatches(t, e.type));
  return e.flowId === flowId && e.nodeId === path.producer.id && portOf(e) === path.port;
}

/** Asks the pass-through nodes of a flow which events they forward by which port. */
export class InputPaths {
  private readonly handlers = new Map<string, Promise<NodeHandler>>();
  /** The paths into each node asked about: the graph does not change during a replay. */
  private readonly paths = new Map<string, Path[]>();

  constructor(
    private readonly graph: Graph,
    private readonly flowId: string,
    private readonly userCode: UserCodePool,
  ) {}

  /** Of a page of live events, those that reached `target`, once per path they took, in position order. */
  async reaching(target: string, page: readonly StoredEvent[]): Promise<StoredEvent[]> {
    const reached: StoredEvent[] = [];
    let paths = this.paths.get(target);
    if (!paths) this.paths.set(target, (paths = pathsInto(this.graph, target)));
    for (const path of paths) {
      let events = page.filter((e) => startsPath(this.flowId, path, e));
      for (const step of path.through) {
        if (events.length === 0) break;
        events = await this.forwarded(step.node, step.port, events);
      }
      reached.push(...events);
    }
    return reached.sort((a, b) => a.position - b.position);
  }

  close(): void {
    for (const handler of this.handlers.values()) void handler.then((h) => h.stop?.()).catch(() => undefined);
    this.handlers.clear();
  }

  private async forwarded(node: CompiledNode, port: string, events: StoredEvent[]): Promise<StoredEvent[]> {
    const handler = await this.handlerOf(node);
    if (!handler.handleBatch) return events;
    const answers = await handler.handleBatch(events);
    return events.filter((_, i) => {
      const answer = answers[i]!;
      return !(answer instanceof NodeFailure) && answer.some((output) => output.kind === 'forward' && output.port === port);
    });
  }

  private handlerOf(node: CompiledNode): Promise<NodeHandler> {
    let handler = this.handlers.get(node.id);
    if (!handler) {
      const factory = NODE_RUNTIMES[node.type];
      if (!factory) throw new Error(`node type "${node.type}" cannot run in this runtime`);
      handler = Promise.resolve(factory({ node, flowId: this.flowId, userCode: this.userCode }));
      this.handlers.set(node.id, handler);
    }
    return handler;
  }
}
