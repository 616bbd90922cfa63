/**
 * What the editor shows of one node's traffic while it runs: the last few events it took in and sent out (two small
 * rings, newest overwriting oldest) and when it last did either. Kept cheap for the hot path: an input batch records
 * only its last few events and reads the clock once; an output is one slot written.
 */
import type { NodeCounters, NodeTraffic as NodeTrafficAnswer } from '../../shared/api/flows.js';
import type { StoredEvent } from '../../shared/event.js';

/** Events kept a side. */
export const TRAFFIC_KEEP = 5;

export class NodeTraffic {
  private readonly inputs: (StoredEvent | undefined)[] = new Array(TRAFFIC_KEEP);
  private readonly outputs: (StoredEvent | undefined)[] = new Array(TRAFFIC_KEEP);
  private nextIn = 0;
  private nextOut = 0;
  /** Epoch ms of the last event in or out; 0 before the first. */
  lastAt = 0;

  /** A batch of inputs taken (the last few kept). */
  took(events: readonly { event: StoredEvent }[]): void {
    for (let i = Math.max(0, events.length - TRAFFIC_KEEP); i < events.length; i++) this.inputs[this.nextIn++ % TRAFFIC_KEEP] = events[i]!.event;
    this.lastAt = Date.now();
  }

  /** One input that entered the flow by this node (an http source), in and out at once. */
  entered(event: StoredEvent): void {
    this.took([{ event }]);
    this.sent(event);
  }

  /** An event passed on or appended. The clock is read by `took` and `sentAll`, not per event forwarded. */
  sent(event: StoredEvent): void {
    this.outputs[this.nextOut++ % TRAFFIC_KEEP] = event;
  }

  /** Events appended at once (derived, or produced by a source). */
  sentAll(events: readonly StoredEvent[]): void {
    for (let i = Math.max(0, events.length - TRAFFIC_KEEP); i < events.length; i++) this.sent(events[i]!);
    if (events.length > 0) this.lastAt = Date.now();
  }

  recent(): NodeTrafficAnswer {
    return { in: newestFirst(this.inputs, this.nextIn), out: newestFirst(this.outputs, this.nextOut) };
  }
}

function newestFirst(ring: readonly (StoredEvent | undefined)[], next: number): StoredEvent[] {
  const out: StoredEvent[] = [];
  for (let i = 1; i <= TRAFFIC_KEEP; i++) {
    const event = ring[(next - i + TRAFFIC_KEEP * 2) % TRAFFIC_KEEP];
    if (event && next - i >= 0) out.push(event);
  }
  return out;
}

/** The traffic of one node over the runs that hold it (a cluster's partitions here): newest first, by position. */
export function mergedTraffic(parts: readonly NodeTrafficAnswer[]): NodeTrafficAnswer {
  if (parts.length === 1) return parts[0]!;
  const merge = (side: 'in' | 'out') => parts.flatMap((p) => p[side]).sort((a, b) => b.position - a.position).slice(0, TRAFFIC_KEEP);
  return { in: merge('in'), out: merge('out') };
}

/** A node's counters on the wire: its totals, the mailbox's depth, when it last moved, and an actor's live keys. */
export function wireCounters(counters: NodeCounters, queued: number, traffic: NodeTraffic, keys: number | undefined): NodeCounters {
  return {
    in: counters.in,
    out: counters.out,
    errors: counters.errors,
    queued,
    ...(traffic.lastAt > 0 ? { lastAt: new Date(traffic.lastAt).toISOString() } : {}),
    ...(keys === undefined ? {} : { keys }),
  };
}
