/**
 * Two executions side by side, as ShiViz's pairwise view shows them: which hosts are in only one, and which events.
 * Events are matched by host and text (`textOf`): the k-th event with a given text on a host of one execution is
 * the counterpart of the k-th with that text on the same host of the other, so a repeated message is matched in
 * order and an extra one is left over. `distance` is how much the two differ, from 0 (the same events on the same
 * hosts) to 1 (nothing in common): the share of unmatched events among all distinct events of both.
 *
 * Pure: no I/O.
 */
import { hostOf, textOf, type Execution } from './executions.js';

export interface ExecutionComparison {
  hosts: { onlyA: string[]; onlyB: string[]; both: string[] };
  /** Indices into each execution's `events` of those without a counterpart in the other. */
  onlyA: number[];
  onlyB: number[];
  /** Matched events: [index in a, index in b]. */
  pairs: [number, number][];
  distance: number;
}

/** Each event's matching key: host, text, and which occurrence of that text on that host it is. */
function keysOf(execution: Pick<Execution, 'events'>): string[] {
  const seen = new Map<string, number>();
  return execution.events.map((e) => {
    const base = JSON.stringify([hostOf(e), textOf(e)]);
    const k = seen.get(base) ?? 0;
    seen.set(base, k + 1);
    return `${base}#${k}`;
  });
}

export function compareExecutions(a: Pick<Execution, 'events' | 'hosts'>, b: Pick<Execution, 'events' | 'hosts'>): ExecutionComparison {
  const hostsB = new Set(b.hosts);
  const hostsA = new Set(a.hosts);
  const keysA = keysOf(a);
  const keysB = keysOf(b);
  const indexB = new Map(keysB.map((k, i) => [k, i]));
  const pairs: [number, number][] = [];
  const onlyA: number[] = [];
  const matchedB = new Uint8Array(keysB.length);
  keysA.forEach((k, i) => {
    const j = indexB.get(k);
    if (j === undefined) onlyA.push(i);
    else {
      pairs.push([i, j]);
      matchedB[j] = 1;
    }
  });
  const onlyB: number[] = [];
  for (let j = 0; j < keysB.length; j++) if (!matchedB[j]) onlyB.push(j);
  const all = pairs.length + onlyA.length + onlyB.length;
  return {
    hosts: { onlyA: a.hosts.filter((h) => !hostsB.has(h)), onlyB: b.hosts.filter((h) => !hostsA.has(h)), both: a.hosts.filter((h) => hostsB.has(h)) },
    onlyA,
    onlyB,
    pairs,
    distance: all === 0 ? 0 : (onlyA.length + onlyB.length) / all,
  };
}
