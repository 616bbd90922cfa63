/**
 * Comparing a replay's outputs with the original ones. Outputs are derived events; two are "the same output"
 * when the same node derived them from the same input, as the same n-th emission (node id, causation id,
 * index). Their ids, positions, times and clocks may differ; what counts is what the node said: type, subject,
 * stream, output port and data.
 *
 * The comparison streams, so a replay of many events never holds them all: the originals go in first, each kept
 * only as a digest of what it said; then the replayed outputs, one page at a time, each classified at once
 * (identical, changed or extra); at the end, the originals nothing matched are missing. A changed output is listed
 * with its differing fields, found from the original event fetched again by id (`takeUnfilled`). Pure.
 */
import { hash } from 'node:crypto';
import type { DiffSummary, FieldChange, OutputChange } from '../../shared/api/replays.js';
import type { StoredEvent } from '../../shared/event.js';

export type OutputStatus = 'identical' | 'changed' | 'missing' | 'extra';

export interface ReplayDiff {
  summary: DiffSummary;
  changes: OutputChange[];
  /** The status of each output, by node: for the per-node view. */
  byNode: Record<string, DiffSummary>;
  /** More changes were found than listed. */
  truncated: boolean;
}

export type Output = Pick<StoredEvent, 'id' | 'type' | 'subject' | 'stream' | 'data' | 'nodeId' | 'causationId' | 'position' | 'metadata'>;

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

/** JSON with every object's keys in sorted order: two JSON values have the same text iff `valueChanges` finds nothing. */
function canonicalJson(value: unknown): string {
  if (!isObject(value)) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

/** What an output said, as a short digest: equal digests, no `outputChanges`. */
export const outputDigest = (e: Output): string => hash('sha1', canonicalJson([e.type, e.subject, e.stream, portOf(e), e.data]), 'base64');

const emptySummary = (): DiffSummary => ({ identical: 0, changed: 0, missing: 0, extra: 0 });

/** An original output waiting for its replayed twin: what it said, as a digest, and the input it stems from. */
interface PendingOriginal {
  id: string;
  digest: string;
  /** The ordinal of the replayed input its causation chain starts at. */
  root: number;
}

/** The outputs of one node for one cause: the originals by index (null once matched), and how many replayed ones came. */
interface Cause {
  originals: (PendingOriginal | null)[];
  replayed: number;
}

/** A changed output listed before its fields are known: they come from the original, fetched again by id. */
export interface UnfilledChange {
  change: OutputChange & { originalId: string };
  replayed: Output;
}

const isOutput = (e: Output) => e.nodeId !== null && e.causationId !== null;

export class OutputComparer {
  private readonly causes = new Map<string, Map<string, Cause>>();
  private readonly summary = emptySummary();
  private readonly byNode: Record<string, DiffSummary> = {};
  private readonly changes: OutputChange[] = [];
  private truncated = false;
  private unfilled: UnfilledChange[] = [];

  /** `maxListed`: the most changes listed (all are counted). */
  constructor(private readonly maxListed: number) {}

  /** Takes an original output, in position order, stemming from the replayed input with ordinal `root`. */
  original(e: Output, root: number): void {
    if (!isOutput(e)) return;
    this.causeOf(e.nodeId!, e.causationId!).originals.push({ id: e.id, digest: outputDigest(e), root });
  }

  /** Compares a replayed output, in position order, with the original of the same key. */
  replayed(e: Output): void {
    if (!isOutput(e)) return;
    const nodeId = e.nodeId!;
    const causationId = e.causationId!;
    const cause = this.causeOf(nodeId, causationId);
    const index = cause.replayed++;
    const original = cause.originals[index];
    if (!original) {
      this.list(nodeId, 'extra', { status: 'extra', nodeId, causationId, index, originalId: null, replayId: e.id, fields: [] });
      return;
    }
    cause.originals[index] = null;
    if (original.digest === outputDigest(e)) {
      this.count(nodeId, 'identical');
      return;
    }
    const change = { status: 'changed' as const, nodeId, causationId, index, originalId: original.id, replayId: e.id, fields: [] };
    if (this.list(nodeId, 'changed', change)) this.unfilled.push({ change, replayed: e });
  }

  /**
   * Counts as missing every original no replayed output matched whose input was replayed (`replayed(root)`):
   * when a replay stops early, the inputs it did not reach are left out. Call once, after the last replayed output.
   */
  finish(replayed: (root: number) => boolean = () => true): void {
    for (const [nodeId, causes] of this.causes) {
      for (const [causationId, cause] of causes) {
        cause.originals.forEach((original, index) => {
          if (original && replayed(original.root)) {
            this.list(nodeId, 'missing', { status: 'missing', nodeId, causationId, index, originalId: original.id, replayId: null, fields: [] });
          }
        });
      }
    }
    this.causes.clear();
  }

  /** The changed outputs listed since the last call, whose fields are still to be found (`outputChanges`). */
  takeUnfilled(): UnfilledChange[] {
    const taken = this.unfilled;
    this.unfilled = [];
    return taken;
  }

  /** The comparison so far: counts, per node, and the changes listed (copies). */
  result(): ReplayDiff {
    const byNode = Object.fromEntries(Object.entries(this.byNode).map(([node, d]) => [node, { ...d }]));
    return { summary: { ...this.summary }, byNode, changes: [...this.changes], truncated: this.truncated };
  }

  private causeOf(nodeId: string, causationId: string): Cause {
    let causes = this.causes.get(nodeId);
    if (!causes) this.causes.set(nodeId, (causes = new Map()));
    let cause = causes.get(causationId);
    if (!cause) causes.set(causationId, (cause = { originals: [], replayed: 0 }));
    return cause;
  }

  private count(nodeId: string, status: OutputStatus): void {
    this.summary[status]++;
    (this.byNode[nodeId] ??= emptySummary())[status]++;
  }

  /** Counts a change and lists it while there is room; says whether it was listed. */
  private list(nodeId: string, status: Exclude<OutputStatus, 'identical'>, change: OutputChange): boolean {
    this.count(nodeId, status);
    if (this.changes.length >= this.maxListed) {
      this.truncated = true;
      return false;
    }
    this.changes.push(change);
    return true;
  }
}

const inPositionOrder = (events: readonly Output[]): readonly Output[] =>
  events.some((e, i) => i > 0 && e.position < events[i - 1]!.position) ? [...events].sort((a, b) => a.position - b.position) : events;

/**
 * Original outputs against the replay's, both held whole: identical / changed / extra in the replay's order, then
 * missing, with the differing fields.
 */
export function diffOutputs(original: readonly Output[], replayed: readonly Output[]): ReplayDiff {
  const comparer = new OutputComparer(Infinity);
  for (const e of inPositionOrder(original)) comparer.original(e, 0);
  for (const e of inPositionOrder(replayed)) comparer.replayed(e);
  comparer.finish();
  const byId = new Map(original.map((e) => [e.id, e]));
  for (const { change, replayed: r } of comparer.takeUnfilled()) change.fields = outputChanges(byId.get(change.originalId)!, r);
  return comparer.result();
}
