/**
 * A subflow instance's counters, as its card shows them. The runtime runs an instance as the nodes it expanded into
 * (compiler/subflows.ts), so the instance counts what went through those: `in`, what the nodes its input port feeds
 * took in; `out`, what the nodes feeding its output ports sent; `errors` and `queued` over all of its nodes; the
 * latest `lastAt`; an inner actor's live keys. Made with each run's status, so the sums travel and combine across
 * partitions and replicas exactly as node counters do. Pure.
 */
import type { NodeCounters } from '../../shared/api/flows.js';
import type { SubflowInstance } from '../compiler/compile.js';
import { addCounters } from './flow-status.js';

export function instanceCounters(instances: ReadonlyMap<string, SubflowInstance>, nodes: Readonly<Record<string, NodeCounters>>): Record<string, NodeCounters> {
  const out: Record<string, NodeCounters> = {};
  for (const [id, instance] of instances) {
    const sum: NodeCounters = { in: 0, out: 0, errors: 0, queued: 0 };
    for (const inner of instance.nodes) {
      const c = nodes[inner];
      if (c) addCounters(sum, c);
    }
    // In and out are counted at the instance's ports, not over every hop inside it.
    sum.in = 0;
    sum.out = 0;
    for (const entry of instance.entries) sum.in += nodes[entry]?.in ?? 0;
    for (const exit of instance.exits) sum.out += nodes[exit]?.out ?? 0;
    out[id] = sum;
  }
  return out;
}
