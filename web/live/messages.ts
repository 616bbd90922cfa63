/**
 * The messages of a flow's live stream (`GET /api/flows/:id/live`, server-sent events): `status` carries the
 * flow's state and node counters, `debug` an event that reached a debug node. Parsed defensively: anything
 * else is ignored.
 */
import type { FlowStatus } from '../../shared/api/flows.js';
import type { StoredEvent } from '../../shared/event.js';

/** What the editor shows of a flow's status: its state, revision and node counters (the poll answers more). */
export type LiveStatus = Pick<FlowStatus, 'state' | 'revision' | 'nodes'>;

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
      },
    };
  }
  if (kind === 'debug' && typeof body.nodeId === 'string' && isRecord(body.event)) {
    return { kind: 'debug', nodeId: body.nodeId, event: body.event as unknown as StoredEvent };
  }
  return null;
}

const COUNTERS = ['in', 'out', 'errors', 'queued'] as const;

/** The node counters that are whole: an entry with a counter that is not a number is left out. */
function countersOf(nodes: Record<string, unknown>): FlowStatus['nodes'] {
  const out: FlowStatus['nodes'] = {};
  for (const [id, counters] of Object.entries(nodes)) {
    if (isRecord(counters) && COUNTERS.every((k) => typeof counters[k] === 'number' && Number.isFinite(counters[k]))) {
      out[id] = counters as unknown as FlowStatus['nodes'][string];
    }
  }
  return out;
}
