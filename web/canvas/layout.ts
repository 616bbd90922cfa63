/** Auto-layout with ELK's layered algorithm: flows read left to right, wires between ports. */
import type { ELK } from 'elkjs/lib/elk-api.js';
import type { FlowEdge, FlowNode } from '../../shared/flow.js';

export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 64;

let elk: ELK | null = null;

/** ELK is large: it loads on the first layout. */
async function engine(): Promise<ELK> {
  const { default: Elk } = await import('elkjs/lib/elk.bundled.js');
  return new Elk();
}

export async function layoutFlow(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): Promise<Record<string, { x: number; y: number }>> {
  elk ??= await engine();
  const ids = new Set(nodes.map((n) => n.id));
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '80',
    },
    children: nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const out: Record<string, { x: number; y: number }> = {};
  for (const child of graph.children ?? []) out[child.id] = { x: child.x ?? 0, y: child.y ?? 0 };
  return out;
}
