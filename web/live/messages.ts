/**
 * The messages of a flow's live stream (`GET /api/flows/:id/live`, server-sent events): `status` carries the
 * flow's state, node counters and subflow instances' counters, `debug` an event that reached a debug node. Parsed defensively: anything
 * else is ignored.
 */
import type { FlowStatus } from '../../shared/api/flows.js';
import type { StoredEvent } from '../../shared/event.js';

/** What the editor shows of a flow's status: its state, revision, node and instance counters (the poll answers more). */
export type LiveStatus = Pick<FlowStatus, 'state' | 'revision' | 'nodes' | 'instances'>;

export interface DebugEntry {
  /** Order of arrival, for keys. */
  seq: number;
  nodeId: string;
  event: StoredEvent;
}

export type LiveMessage = { kind: 'status'; status: LiveStatus } | { kind: 'debug'; nodeId: string; event: StoredEvent };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseLiveMessage(name: string, data: string): LiveMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  const kind = name === 'message' ? value.type ?? value.kind : name;
  const body = isRecord(value.data) && name === 'message' ? value.data : value;
  if (kind === 'status' && isRecord(body.nodes)) {
    return {
      kind: 'status',
      status: {
        state: body.state === 'running' ? 'running' : 'stopped',
        revision: typeof body.revision === 'number' ? body.revision : null,
        nodes: countersOf(body.nodes),
        ...(isRecord(body.instances) ? { instances: countersOf(body.instances) } : {}),
      },
    };
  }
  if (kind === 'debug' && typeof body.nodeId === 'string' && isRecord(body.event)) {
    return { kind: 'debug', nodeId: body.nodeId, event: body.event as unknown as StoredEvent };
  }
  return null;
}

const COUNTERS = ['in', 'out', 'errors', 'queued'] as const;

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The node counters that are whole: an entry with a counter that is not a number is left out; a last-event time
 * that is not text, or live keys that are not a number, are dropped from their entry.
 */
function countersOf(nodes: Record<string, unknown>): FlowStatus['nodes'] {
  const out: FlowStatus['nodes'] = {};
  for (const [id, c] of Object.entries(nodes)) {
    if (!isRecord(c) || !COUNTERS.every((k) => isCount(c[k]))) continue;
    const { lastAt, keys } = c;
    const whole = { in: c.in as number, out: c.out as number, errors: c.errors as number, queued: c.queued as number };
    out[id] = { ...whole, ...(typeof lastAt === 'string' ? { lastAt } : {}), ...(isCount(keys) ? { keys } : {}) };
  }
  return out;
}
