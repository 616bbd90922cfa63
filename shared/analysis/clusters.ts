/**
 * The executions of one log grouped by similarity, as ShiViz's clustering does: by their number of processes, or
 * by distance (compare.ts) — two executions within `threshold` of each other share a group, and so, transitively,
 * do the executions linked through them (single linkage). Groups come in the order of their first execution;
 * members keep the order given.
 *
 * Pure: no I/O. Distance clustering compares every pair: n² comparisons of executions' events.
 */
import { compareExecutions } from './compare.js';
import type { Execution } from './executions.js';

export interface Cluster {
  /** What the group shares, to show: "2 processes", or the first member's label. */
  title: string;
  /** Indices into the executions given. */
  members: number[];
}

export function clustersByProcessCount(executions: readonly Pick<Execution, 'hosts'>[]): Cluster[] {
  const byCount = new Map<number, number[]>();
  executions.forEach((e, i) => {
    const list = byCount.get(e.hosts.length);
    if (list) list.push(i);
    else byCount.set(e.hosts.length, [i]);
  });
  return [...byCount].map(([n, members]) => ({ title: `${n} ${n === 1 ? 'process' : 'processes'}`, members }));
}

/** The most executions distance clustering compares (all pairs): more are refused by the caller's view. */
export const MAX_DISTANCE_CLUSTERED = 200;

export function clustersByDistance(executions: readonly Pick<Execution, 'events' | 'hosts' | 'label'>[], threshold: number): Cluster[] {
  const parent = executions.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (let i = 0; i < executions.length; i++) {
    for (let j = i + 1; j < executions.length; j++) {
      if (root(i) === root(j)) continue;
      if (compareExecutions(executions[i]!, executions[j]!).distance <= threshold) parent[Math.max(root(i), root(j))] = Math.min(root(i), root(j));
    }
  }
  const byRoot = new Map<number, number[]>();
  executions.forEach((_, i) => {
    const r = root(i);
    const list = byRoot.get(r);
    if (list) list.push(i);
    else byRoot.set(r, [i]);
  });
  return [...byRoot.values()].map((members) => ({ title: executions[members[0]!]!.label, members }));
}
