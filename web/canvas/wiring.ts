/**
 * Whether a wire may join two ports, with the reason when not: ports must exist, a node does not feed itself,
 * a wire is not doubled, and a cycle must pass through an actor (the compiler's rule).
 */
import type { FlowEdge, FlowNode } from '../../shared/flow.js';
import { nodeType } from '../../shared/nodes/index.js';
import { portsOf } from './ports.js';

export interface Wire {
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

export type WireCheck = { ok: true } | { ok: false; code: WireRefusal; reason: string };

export type WireRefusal = 'unknown_node' | 'self' | 'no_output' | 'no_input' | 'duplicate' | 'cycle';

const refuse = (code: WireRefusal, reason: string): WireCheck => ({ ok: false, code, reason });

export function checkWire(nodes: readonly FlowNode[], edges: readonly FlowEdge[], wire: Wire): WireCheck {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const source = byId.get(wire.source);
  const target = byId.get(wire.target);
  if (!source || !target) return refuse('unknown_node', 'both ends must be nodes on this canvas');
  const label = (n: FlowNode) => n.name || n.id;
  if (source.id === target.id) return refuse('self', `${label(source)} cannot feed itself`);
  if (!portsOf(source).outputs.includes(wire.sourcePort)) return refuse('no_output', `${label(source)} has no output "${wire.sourcePort}"`);
  const inputs = portsOf(target).inputs;
  if (inputs.length === 0) return refuse('no_input', `${label(target)} is a source and takes no input`);
  if (!inputs.includes(wire.targetPort)) return refuse('no_input', `${label(target)} has no input "${wire.targetPort}"`);
  if (edges.some((e) => e.source === wire.source && e.sourcePort === wire.sourcePort && e.target === wire.target && e.targetPort === wire.targetPort)) {
    return refuse('duplicate', 'these ports are already wired');
  }
  if (closesCycleWithoutActor(byId, edges, wire)) return refuse('cycle', 'this wire closes a loop; a loop must pass through an actor');
  return { ok: true };
}

/** True when target already reaches source along a path of non-actor nodes (so the new wire closes that loop). */
function closesCycleWithoutActor(byId: Map<string, FlowNode>, edges: readonly FlowEdge[], wire: Wire): boolean {
  const isActor = (id: string) => nodeType(byId.get(id)?.type ?? '')?.kind === 'actor';
  if (isActor(wire.source) || isActor(wire.target)) return false;
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const seen = new Set<string>();
  const stack = [wire.target];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (id === wire.source) return true;
    if (seen.has(id) || isActor(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return false;
}
