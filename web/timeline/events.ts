/** Correlation chains and one-line summaries of stored events. Pure. */
import type { StoredEvent } from '../../shared/event.js';

export interface Chained {
  id: string;
  correlationId: string;
  causationId: string | null;
}

export interface ChainNode<E extends Chained = StoredEvent> {
  event: E;
  children: ChainNode<E>[];
}

/** The correlation chain of an event among the loaded ones, as a tree from its root by causation. */
export function correlationTree<E extends Chained>(events: readonly E[], correlationId: string): ChainNode<E>[] {
  const members = events.filter((e) => e.correlationId === correlationId);
  const nodes = new Map(members.map((e) => [e.id, { event: e, children: [] as ChainNode<E>[] }]));
  const roots: ChainNode<E>[] = [];
  for (const node of nodes.values()) {
    const parent = node.event.causationId ? nodes.get(node.event.causationId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** What an event says in one line: ShiViz text, or its data. */
export function summary(e: StoredEvent): string {
  const data = e.data as { text?: unknown } | null;
  if (data && typeof data === 'object' && typeof data.text === 'string') return data.text;
  return JSON.stringify(e.data) ?? '';
}
