/**
 * "Make subflow": the selected nodes become a subflow of their own, and one instance node takes their place. Wires
 * from outside into the selection enter by the instance's input port and, inside, leave the `subflow-in` node for
 * the nodes they fed; each distinct selected output that fed the outside becomes an output port (`out`, `out2` …)
 * with its `subflow-out` node. Wires inside the selection move into the subflow as they are. Pure.
 */
import type { FlowEdge, FlowNode } from '../../shared/flow.js';
import { nextId, nextIds } from './ids.js';

export interface Extraction {
  /** The subflow's nodes and wires, ids as they were (port nodes `in`, `out…` added). */
  subflow: { nodes: FlowNode[]; edges: FlowEdge[] };
  /** The flow after: the selection replaced by `instance`, wired as the selection was. */
  nodes: FlowNode[];
  edges: FlowEdge[];
  instance: FlowNode;
}

const portNameOf = (i: number) => (i === 0 ? 'out' : `out${i + 1}`);

export function extractSubflow(nodes: readonly FlowNode[], edges: readonly FlowEdge[], selected: readonly string[], subflowId: string, name: string): Extraction | null {
  const inside = new Set(selected);
  const chosen = nodes.filter((n) => inside.has(n.id));
  if (chosen.length === 0) return null;
  const innerEdges = edges.filter((e) => inside.has(e.source) && inside.has(e.target));
  const entering = edges.filter((e) => !inside.has(e.source) && inside.has(e.target));
  const leaving = edges.filter((e) => inside.has(e.source) && !inside.has(e.target));

  const left = Math.min(...chosen.map((n) => n.position.x));
  const top = Math.min(...chosen.map((n) => n.position.y));
  const right = Math.max(...chosen.map((n) => n.position.x));
  const ids = chosen.map((n) => n.id);
  const inId = nextId('in', ids);
  const sub: FlowNode[] = chosen.map((n) => ({ ...n, position: { x: n.position.x - left + 240, y: n.position.y - top } }));
  const subEdges: FlowEdge[] = [...innerEdges];
  const edgeIds = () => [...subEdges.map((e) => e.id)];

  if (entering.length > 0) {
    sub.unshift({ id: inId, type: 'subflow-in', name: 'in', process: 'main', position: { x: 0, y: 0 }, config: {} });
    const targets = [...new Map(entering.map((e) => [`${e.target}:${e.targetPort}`, e])).values()];
    for (const e of targets) subEdges.push({ id: nextId('w', edgeIds()), source: inId, sourcePort: 'out', target: e.target, targetPort: e.targetPort });
  }
  const outputs = [...new Map(leaving.map((e) => [`${e.source}:${e.sourcePort}`, e])).values()];
  const portOf = new Map(outputs.map((e, i) => [`${e.source}:${e.sourcePort}`, portNameOf(i)]));
  const outIds = nextIds('out', ids, outputs.length);
  outputs.forEach((e, i) => {
    const port = portNameOf(i);
    sub.push({ id: outIds[i]!, type: 'subflow-out', name: port, process: 'main', position: { x: right - left + 480, y: i * 120 }, config: { port } });
    subEdges.push({ id: nextId('w', edgeIds()), source: e.source, sourcePort: e.sourcePort, target: outIds[i]!, targetPort: 'in' });
  });

  const instance: FlowNode = {
    id: nextId('n', nodes.map((n) => n.id)),
    type: 'subflow',
    name,
    process: chosen[0]!.process,
    position: { x: left, y: top },
    config: { subflow: subflowId, outputs: outputs.length > 0 ? outputs.map((_, i) => portNameOf(i)) : ['out'] },
  };
  const kept = edges.filter((e) => !inside.has(e.source) && !inside.has(e.target));
  const rewired: FlowEdge[] = [];
  const seen = new Set<string>();
  for (const e of entering) {
    const key = `${e.source}:${e.sourcePort}`;
    if (seen.has(key)) continue; // two wires from one port into the selection are one wire into the instance
    seen.add(key);
    rewired.push({ ...e, target: instance.id, targetPort: 'in' });
  }
  for (const e of leaving) rewired.push({ ...e, source: instance.id, sourcePort: portOf.get(`${e.source}:${e.sourcePort}`)! });
  return {
    subflow: { nodes: sub, edges: subEdges },
    nodes: [...nodes.filter((n) => !inside.has(n.id)), instance],
    edges: [...kept, ...rewired],
    instance,
  };
}

/** The output ports a subflow gives its instances: its subflow-out nodes' ports, in order. */
export const subflowPorts = (nodes: readonly FlowNode[]): string[] => {
  const ports = nodes.filter((n) => n.type === 'subflow-out').map((n) => (typeof n.config.port === 'string' ? n.config.port : 'out'));
  return ports.length > 0 ? [...new Set(ports)] : ['out'];
};
