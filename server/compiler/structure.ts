/**
 * Flow-wide checks on the wiring as drawn: a source exists, no cycle avoids an actor, every node can be reached.
 */
import { quote, type Report } from './errors.js';
import type { IndexedEdge } from './edges.js';
import { cycleThrough, isCyclic, reachableFrom, stronglyConnectedComponents, type Successors } from './graph.js';
import type { CheckedNode } from './nodes.js';

export interface Wiring {
  /** The first node with each id, in document order. */
  nodes: readonly CheckedNode[];
  /** Edges whose two nodes exist. */
  linked: readonly IndexedEdge[];
  /** Whether every node of the document was read (otherwise "no source" and "unreachable" cannot be known). */
  complete: boolean;
  hopLimit: number;
}

export function checkStructure(wiring: Wiring, report: Report): void {
  const outgoing = outgoingEdges(wiring.linked);
  const next: Successors = (id) => (outgoing.get(id) ?? []).map((e) => e.edge.target);
  checkCycles(wiring, outgoing, next, report);
  if (!wiring.complete || wiring.nodes.some((n) => n.definition === undefined)) return;
  checkSources(wiring, report);
  checkReach(wiring, outgoing, next, report);
}

/** A cycle that avoids every actor would loop forever: a cycle is an error unless an actor is on it. */
function checkCycles(wiring: Wiring, outgoing: Map<string, IndexedEdge[]>, next: Successors, report: Report): void {
  const actors = new Set(wiring.nodes.filter((n) => n.definition?.kind === 'actor').map((n) => n.node.id));
  const isActor = (id: string) => actors.has(id);
  const ids = wiring.nodes.map((n) => n.node.id);
  const withoutActors: Successors = (id) => next(id).filter((w) => !isActor(w));

  for (const component of stronglyConnectedComponents(ids.filter((id) => !isActor(id)), withoutActors)) {
    if (!isCyclic(component, withoutActors)) continue;
    const members = new Set(component);
    const example = cycleThrough(component[0]!, members, withoutActors) ?? component;
    const message =
      component.length === 1
        ? `node ${quote(component[0]!)} is wired to itself with no actor on the way: every event would loop forever`
        : `nodes ${component.map(quote).join(', ')} form a cycle with no actor on it (${example.join(' → ')}): ` +
          'every event would loop forever; break the cycle or pass it through an actor';
    for (const id of component) {
      const edge = (outgoing.get(id) ?? []).find((e) => members.has(e.edge.target))!;
      report.error('cycle', { nodeId: id, edgeId: edge.edge.id, path: `edges.${edge.index}`, message });
    }
  }

  for (const component of stronglyConnectedComponents(ids, next)) {
    if (!isCyclic(component, next)) continue;
    const members = new Set(component);
    for (const id of component.filter(isActor)) {
      const example = cycleThrough(id, members, next) ?? component;
      report.warning('actor_cycle', {
        nodeId: id,
        path: '',
        message: `events can loop back to actor ${quote(id)} (${example.join(' → ')}); the runtime stops a chain after ${wiring.hopLimit} hops`,
      });
    }
  }
}

function checkSources(wiring: Wiring, report: Report): void {
  if (wiring.nodes.some((n) => n.definition?.kind === 'source')) return;
  report.error('no_source', {
    nodeId: null,
    path: 'nodes',
    message: 'the flow has no source node (http, mqtt, timer or simulator): no event would ever enter it',
  });
}

function checkReach(wiring: Wiring, outgoing: Map<string, IndexedEdge[]>, next: Successors, report: Report): void {
  const sources = wiring.nodes.filter((n) => n.definition?.kind === 'source').map((n) => n.node.id);
  const reached = reachableFrom(sources, next);
  const fed = new Set(wiring.linked.map((e) => e.edge.target));

  for (const { node, definition } of wiring.nodes) {
    if (definition === undefined) continue;
    if (definition.kind !== 'source' && !fed.has(node.id)) {
      report.warning('unconnected_input', {
        nodeId: node.id,
        path: '',
        message: `nothing is wired into ${node.type} node ${quote(node.id)}: it will never receive an event`,
      });
    } else if (!reached.has(node.id)) {
      report.warning('unreachable', {
        nodeId: node.id,
        path: '',
        message: `no source leads to ${node.type} node ${quote(node.id)}: it will never receive an event`,
      });
    }
    if (definition.kind !== 'sink' && (outgoing.get(node.id) ?? []).length === 0) {
      const what =
        definition.behaviour === 'forward'
          ? 'the events it passes go nowhere'
          : 'its events are stored but reach no other node';
      report.warning('unconnected_output', {
        nodeId: node.id,
        path: '',
        message: `nothing is wired from ${node.type} node ${quote(node.id)}: ${what}`,
      });
    }
  }
}

function outgoingEdges(edges: readonly IndexedEdge[]): Map<string, IndexedEdge[]> {
  const out = new Map<string, IndexedEdge[]>();
  for (const e of edges) {
    const list = out.get(e.edge.source);
    if (list === undefined) out.set(e.edge.source, [e]);
    else list.push(e);
  }
  return out;
}
