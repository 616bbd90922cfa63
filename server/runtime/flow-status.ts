/**
 * One flow's status from the statuses of its runs — its partitions here and on other replicas: running while any
 * run is, at the lowest checkpoint, with each node's counters (and an actor's live keys) summed over the runs, and
 * the latest of their last-event times; each subflow instance's counters likewise.
 */
import type { FlowStatus, NodeCounters } from '../../shared/api/flows.js';

export const STOPPED: FlowStatus = { state: 'stopped', revision: null, checkpoint: null, error: null, nodes: {} };

export function combinedStatus(statuses: readonly FlowStatus[]): FlowStatus {
  const running = statuses.filter((s) => s.state === 'running');
  if (running.length === 0) return STOPPED;
  if (running.length === 1) return running[0]!;
  const nodes = summed(running.map((s) => s.nodes));
  const instances = running.some((s) => s.instances) ? { instances: summed(running.map((s) => s.instances ?? {})) } : {};
  const checkpoints = running.map((s) => s.checkpoint).filter((c): c is number => c !== null);
  return {
    state: 'running',
    // Runs of two revisions at once happen only for the moment of a swap: the newer is the one deployed.
    revision: Math.max(...running.map((s) => s.revision ?? 0)) || null,
    checkpoint: checkpoints.length > 0 ? Math.min(...checkpoints) : null,
    error: running.find((s) => s.error !== null)?.error ?? null,
    nodes,
    ...instances,
  };
}

/** The counters of each id, summed over the runs' records. */
function summed(records: readonly Record<string, NodeCounters>[]): Record<string, NodeCounters> {
  const out: Record<string, NodeCounters> = {};
  for (const record of records) {
    for (const [id, c] of Object.entries(record)) addCounters((out[id] ??= { in: 0, out: 0, errors: 0, queued: 0 }), c);
  }
  return out;
}

/** Adds `c` into `sum`: counts and live keys add up, the last-event time is the later. */
export function addCounters(sum: NodeCounters, c: NodeCounters): void {
  sum.in += c.in;
  sum.out += c.out;
  sum.errors += c.errors;
  sum.queued += c.queued;
  if (c.keys !== undefined) sum.keys = (sum.keys ?? 0) + c.keys;
  // RFC 3339 in UTC, all of one length: the later sorts last.
  if (c.lastAt !== undefined && (sum.lastAt === undefined || c.lastAt > sum.lastAt)) sum.lastAt = c.lastAt;
}
