/**
 * The counters the canvas shows, one entry per card: each node's, and each subflow instance's under its node id (the
 * server sums an instance over the nodes it runs as; see `instances` in the flow's status). The nodes an instance
 * runs as (`n3.f1`) have no card of their own in the flow drawn, so nothing is shown twice.
 */
import type { FlowStatus, NodeCounters } from '../../shared/api/flows.js';

export function cardCounters(status: Pick<FlowStatus, 'nodes' | 'instances'>): Record<string, NodeCounters> {
  return status.instances ? { ...status.nodes, ...status.instances } : status.nodes;
}
