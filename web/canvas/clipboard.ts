/**
 * Copy and paste of nodes: a copy keeps the chosen nodes and the wires between them; a paste gives them fresh
 * ids in the target flow (any flow), shifts them, and keeps only wires whose both ends were copied.
 */
import type { FlowEdge, FlowNode } from '../../shared/flow.js';
import { nextIds } from './ids.js';

export const CLIPBOARD_KIND = 'causeway/nodes';

export interface ClipboardPayload {
  kind: typeof CLIPBOARD_KIND;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export function copyNodes(nodes: readonly FlowNode[], edges: readonly FlowEdge[], ids: readonly string[]): ClipboardPayload | null {
  const chosen = new Set(ids);
  const picked = nodes.filter((n) => chosen.has(n.id));
  if (picked.length === 0) return null;
  return {
    kind: CLIPBOARD_KIND,
    nodes: clone(picked),
    edges: clone(edges.filter((e) => chosen.has(e.source) && chosen.has(e.target))),
  };
}

export function parseClipboard(text: string): ClipboardPayload | null {
  try {
    const value = JSON.parse(text) as Partial<ClipboardPayload>;
    if (value.kind !== CLIPBOARD_KIND || !Array.isArray(value.nodes) || !Array.isArray(value.edges)) return null;
    return value as ClipboardPayload;
  } catch {
    return null;
  }
}

export interface Pasted {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export function pasteNodes(existing: { nodes: readonly FlowNode[]; edges: readonly FlowEdge[] }, payload: ClipboardPayload, offset = { x: 40, y: 40 }): Pasted {
  const nodeIds = nextIds('n', existing.nodes.map((n) => n.id), payload.nodes.length);
  const renamed = new Map(payload.nodes.map((n, i) => [n.id, nodeIds[i] as string]));
  const nodes = payload.nodes.map((n) => ({
    ...clone(n),
    id: renamed.get(n.id) as string,
    position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
  }));
  const wires = payload.edges.filter((e) => renamed.has(e.source) && renamed.has(e.target));
  const edgeIds = nextIds('e', existing.edges.map((e) => e.id), wires.length);
  const edges = wires.map((e, i) => ({ ...e, id: edgeIds[i] as string, source: renamed.get(e.source) as string, target: renamed.get(e.target) as string }));
  return { nodes, edges };
}
