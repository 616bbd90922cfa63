/**
 * Comparing a replay's outputs with the original ones. Outputs are derived events; two are "the same output"
 * when the same node derived them from the same input, as the same n-th emission (node id, causation id,
 * index). Their ids, positions, times and clocks may differ; what counts is what the node said: type, subject,
 * stream, output port and data. Pure.
 */
import type { StoredEvent } from '../../shared/event.js';

export type OutputStatus = 'identical' | 'changed' | 'missing' | 'extra';

export interface FieldChange {
  /** Dotted path: `type`, `data.celsius`, `data.items.0`. */
  path: string;
  original?: unknown;
  replayed?: unknown;
}

export interface OutputChange {
  status: Exclude<OutputStatus, 'identical'>;
  nodeId: string;
  causationId: string;
  index: number;
  originalId: string | null;
  replayId: string | null;
  /** For `changed`: what differs. */
  fields: FieldChange[];
}

export interface DiffSummary {
  identical: number;
  changed: number;
  missing: number;
  extra: number;
}

export interface ReplayDiff {
  summary: DiffSummary;
  changes: OutputChange[];
  /** The status of each output, by node: for the per-node view. */
  byNode: Record<string, DiffSummary>;
}

type Output = Pick<StoredEvent, 'id' | 'type' | 'subject' | 'stream' | 'data' | 'nodeId' | 'causationId' | 'position' | 'metadata'>;

const keyOf = (nodeId: string, causationId: string, index: number) => `${nodeId}\u0000${causationId}\u0000${index}`;

/** Outputs keyed by (node, cause, index); the index counts a node's outputs for one cause in position order. */
export function keyOutputs<E extends Output>(events: readonly E[]): Map<string, { event: E; nodeId: string; causationId: string; index: number }> {
  const sorted = [...events].filter((e) => e.nodeId !== null && e.causationId !== null).sort((a, b) => a.position - b.position);
  const counts = new Map<string, number>();
  const out = new Map<string, { event: E; nodeId: string; causationId: string; index: number }>();
  for (const event of sorted) {
    const group = `${event.nodeId}\u0000${event.causationId}`;
    const index = counts.get(group) ?? 0;
    counts.set(group, index + 1);
    out.set(keyOf(event.nodeId!, event.causationId!, index), { event, nodeId: event.nodeId!, causationId: event.causationId!, index });
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Every leaf path where two JSON values differ (a whole subtree when the shapes differ). */
export function valueChanges(original: unknown, replayed: unknown, path: string, out: FieldChange[] = []): FieldChange[] {
  if (Object.is(original, replayed)) return out;
  const bothArrays = Array.isArray(original) && Array.isArray(replayed);
  const bothObjects = isObject(original) && isObject(replayed) && !Array.isArray(original) && !Array.isArray(replayed);
  if (bothArrays || bothObjects) {
    const a = original as Record<string, unknown>;
    const b = replayed as Record<string, unknown>;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const sub = `${path}.${key}`;
      if (!(key in b)) out.push({ path: sub, original: a[key] });
      else if (!(key in a)) out.push({ path: sub, replayed: b[key] });
      else valueChanges(a[key], b[key], sub, out);
    }
    return out;
  }
  out.push({ path, original, replayed });
  return out;
}

/** What differs between two outputs of the same key. */
export function outputChanges(original: Output, replayed: Output): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of ['type', 'subject', 'stream'] as const) {
    if (original[field] !== replayed[field]) changes.push({ path: field, original: original[field], replayed: replayed[field] });
  }
  const portOf = (e: Output) => (typeof e.metadata.port === 'string' ? e.metadata.port : 'out');
  if (portOf(original) !== portOf(replayed)) changes.push({ path: 'metadata.port', original: portOf(original), replayed: portOf(replayed) });
  valueChanges(original.data, replayed.data, 'data', changes);
  return changes;
}

const emptySummary = (): DiffSummary => ({ identical: 0, changed: 0, missing: 0, extra: 0 });

/** Original outputs against the replay's: identical / changed / missing / extra, with the differing fields. */
export function diffOutputs(original: readonly Output[], replayed: readonly Output[]): ReplayDiff {
  const before = keyOutputs(original);
  const after = keyOutputs(replayed);
  const summary = emptySummary();
  const byNode: Record<string, DiffSummary> = {};
  const changes: OutputChange[] = [];
  const count = (nodeId: string, status: OutputStatus) => {
    summary[status]++;
    (byNode[nodeId] ??= emptySummary())[status]++;
  };
  for (const [key, o] of before) {
    const r = after.get(key);
    if (!r) {
      count(o.nodeId, 'missing');
      changes.push({ status: 'missing', nodeId: o.nodeId, causationId: o.causationId, index: o.index, originalId: o.event.id, replayId: null, fields: [] });
      continue;
    }
    const fields = outputChanges(o.event, r.event);
    if (fields.length === 0) {
      count(o.nodeId, 'identical');
    } else {
      count(o.nodeId, 'changed');
      changes.push({ status: 'changed', nodeId: o.nodeId, causationId: o.causationId, index: o.index, originalId: o.event.id, replayId: r.event.id, fields });
    }
  }
  for (const [key, r] of after) {
    if (before.has(key)) continue;
    count(r.nodeId, 'extra');
    changes.push({ status: 'extra', nodeId: r.nodeId, causationId: r.causationId, index: r.index, originalId: null, replayId: r.event.id, fields: [] });
  }
  return { summary, changes, byNode };
}
