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

interface Keyed<E> {
  event: E;
  nodeId: string;
  causationId: string;
  /** Its place among the outputs its node made for the same cause, in position order. */
  index: number;
}

/** Outputs in position order with their index, and each node's outputs for each cause (by node, then cause). */
function indexOutputs<E extends Output>(events: readonly E[]): { ordered: Keyed<E>[]; byCause: Map<string, Map<string, E[]>> } {
  const outputs = events.filter((e) => e.nodeId !== null && e.causationId !== null);
  // Reads come in position order already: sort only what does not.
  if (outputs.some((e, i) => i > 0 && e.position < outputs[i - 1]!.position)) outputs.sort((a, b) => a.position - b.position);
  const byCause = new Map<string, Map<string, E[]>>();
  const ordered = outputs.map((event) => {
    const nodeId = event.nodeId!;
    const causationId = event.causationId!;
    let causes = byCause.get(nodeId);
    if (!causes) byCause.set(nodeId, (causes = new Map()));
    let list = causes.get(causationId);
    if (!list) causes.set(causationId, (list = []));
    list.push(event);
    return { event, nodeId, causationId, index: list.length - 1 };
  });
  return { ordered, byCause };
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
    // The first value's keys in its order, then the keys only the second has; a path is written only for a change.
    for (const key of Object.keys(a)) {
      if (!(key in b)) out.push({ path: `${path}.${key}`, original: a[key] });
      else if (!Object.is(a[key], b[key])) valueChanges(a[key], b[key], `${path}.${key}`, out);
    }
    for (const key of Object.keys(b)) if (!(key in a)) out.push({ path: `${path}.${key}`, replayed: b[key] });
    return out;
  }
  out.push({ path, original, replayed });
  return out;
}

const portOf = (e: Output) => (typeof e.metadata.port === 'string' ? e.metadata.port : 'out');

/** What differs between two outputs of the same key. */
export function outputChanges(original: Output, replayed: Output): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of ['type', 'subject', 'stream'] as const) {
    if (original[field] !== replayed[field]) changes.push({ path: field, original: original[field], replayed: replayed[field] });
  }
  if (portOf(original) !== portOf(replayed)) changes.push({ path: 'metadata.port', original: portOf(original), replayed: portOf(replayed) });
  valueChanges(original.data, replayed.data, 'data', changes);
  return changes;
}

const emptySummary = (): DiffSummary => ({ identical: 0, changed: 0, missing: 0, extra: 0 });

/** Original outputs against the replay's: identical / changed / missing / extra, with the differing fields. */
export function diffOutputs(original: readonly Output[], replayed: readonly Output[]): ReplayDiff {
  const before = indexOutputs(original);
  const after = indexOutputs(replayed);
  const summary = emptySummary();
  const byNode: Record<string, DiffSummary> = {};
  const changes: OutputChange[] = [];
  const count = (nodeId: string, status: OutputStatus) => {
    summary[status]++;
    (byNode[nodeId] ??= emptySummary())[status]++;
  };
  for (const o of before.ordered) {
    const r = after.byCause.get(o.nodeId)?.get(o.causationId)?.[o.index];
    if (!r) {
      count(o.nodeId, 'missing');
      changes.push({ status: 'missing', nodeId: o.nodeId, causationId: o.causationId, index: o.index, originalId: o.event.id, replayId: null, fields: [] });
      continue;
    }
    const fields = outputChanges(o.event, r);
    if (fields.length === 0) {
      count(o.nodeId, 'identical');
    } else {
      count(o.nodeId, 'changed');
      changes.push({ status: 'changed', nodeId: o.nodeId, causationId: o.causationId, index: o.index, originalId: o.event.id, replayId: r.id, fields });
    }
  }
  for (const r of after.ordered) {
    if ((before.byCause.get(r.nodeId)?.get(r.causationId)?.length ?? 0) > r.index) continue;
    count(r.nodeId, 'extra');
    changes.push({ status: 'extra', nodeId: r.nodeId, causationId: r.causationId, index: r.index, originalId: null, replayId: r.event.id, fields: [] });
  }
  return { summary, changes, byNode };
}
