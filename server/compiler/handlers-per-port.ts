/**
 * The bound on the handlers one port's events go to: every event leaving an output port is delivered to each node
 * wired to it, in priority order, so the wires of one port are that port's handlers (the seed's handlers of one
 * event type). A server may bound them (`bus.maxHandlersPerPort`); a port past the bound is an error on the node it
 * leaves, marking the first wire beyond it.
 */
import { quote, type Report } from './errors.js';
import type { IndexedEdge } from './edges.js';

/** One error per port wired to more than `max` nodes. */
export function checkHandlersPerPort(wires: readonly IndexedEdge[], max: number | undefined, report: Report): void {
  if (max === undefined) return;
  const byPort = new Map<string, IndexedEdge[]>();
  for (const wire of wires) {
    const key = JSON.stringify([wire.edge.source, wire.edge.sourcePort]);
    const list = byPort.get(key);
    if (list) list.push(wire);
    else byPort.set(key, [wire]);
  }
  for (const port of byPort.values()) {
    if (port.length <= max) continue;
    const { edge, index } = port[max]!;
    report.error('too_many_handlers', {
      nodeId: edge.source,
      edgeId: edge.id,
      path: `edges.${index}`,
      message:
        `port ${quote(edge.sourcePort)} of node ${quote(edge.source)} is wired to ${port.length} nodes; this server delivers one port's ` +
        `events to at most ${max} (bus.maxHandlersPerPort): remove ${port.length - max} of its wires, or route them through another node`,
    });
  }
}
