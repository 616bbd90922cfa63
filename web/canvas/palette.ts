/** The palette's entries: every node type, grouped by kind in flow order, narrowed by a search. */
import { NODE_KINDS, NODE_TYPES, type NodeKind, type NodeTypeDefinition } from '../../shared/nodes/index.js';

export const KIND_LABELS: Record<NodeKind, string> = {
  source: 'Sources',
  processor: 'Processors',
  handler: 'Handlers',
  actor: 'Actors',
  sink: 'Sinks',
};

export interface PaletteGroup {
  kind: NodeKind;
  label: string;
  types: NodeTypeDefinition[];
}

export function paletteGroups(search: string): PaletteGroup[] {
  const needle = search.trim().toLowerCase();
  const hit = (d: NodeTypeDefinition) =>
    needle === '' || [d.type, d.palette.label, d.palette.help, d.kind].some((s) => s.toLowerCase().includes(needle));
  // A subflow node is placed from the palette's list of subflows, already naming its subflow.
  const listed = NODE_TYPES.filter((d) => d.type !== 'subflow');
  return NODE_KINDS.map((kind) => ({ kind, label: KIND_LABELS[kind], types: listed.filter((d) => d.kind === kind && hit(d)) })).filter(
    (g) => g.types.length > 0,
  );
}
