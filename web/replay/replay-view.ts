/**
 * What the replay page derives from a replay and the flow it ran: node names by id, the listed changes of one
 * node (or all), and a stable key per change. Pure.
 */
import type { OutputChange } from '../../shared/api/replays.js';
import type { FlowNode } from '../../shared/flow.js';

/** Each node's name, or its id when it has none. */
export function nodeNames(nodes: readonly Pick<FlowNode, 'id' | 'name'>[] | undefined): ReadonlyMap<string, string> {
  return new Map((nodes ?? []).map((n) => [n.id, n.name || n.id]));
}

/** The name of a node; its id when the flow does not have it (removed since, or not loaded yet). */
export const nameOf = (names: ReadonlyMap<string, string>, id: string): string => names.get(id) ?? id;

/** The same node, input and output index make the same output: one change each. */
export const changeKey = (c: Pick<OutputChange, 'status' | 'nodeId' | 'causationId' | 'index'>): string => `${c.status}|${c.nodeId}|${c.causationId}|${c.index}`;

/** The listed changes of one node, or every listed change. */
export const changesOf = (changes: readonly OutputChange[], nodeId: string | null): readonly OutputChange[] => (nodeId === null ? changes : changes.filter((c) => c.nodeId === nodeId));
