/**
 * What a code field can complete after a path (`data.`, `event.data.`): the fields every stored event has, and
 * the keys seen in recent events, merged into one tree. The events are samples the editor already holds (the
 * live debug feed); the events that reached a node are those stored by a node upstream of it.
 */
import type { FlowEdge } from '../../../shared/flow.js';

/** The top-level fields of a stored event (CloudEvents attributes and Causeway's). */
export const EVENT_FIELDS = [
  'id', 'type', 'source', 'time', 'subject', 'datacontenttype', 'data', 'stream', 'version', 'position', 'process',
  'vectorClock', 'correlationId', 'causationId', 'metadata', 'flowId', 'nodeId', 'revision',
] as const;

/** A tree of field names; a leaf is an empty tree. */
export interface FieldTree {
  [name: string]: FieldTree;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Merges the keys of values into a tree, a few levels deep (arrays are looked into through their items). */
function addKeys(tree: FieldTree, value: unknown, depth: number): void {
  if (depth === 0) return;
  if (Array.isArray(value)) {
    for (const item of value.slice(0, 5)) addKeys(tree, item, depth);
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    tree[key] ??= {};
    addKeys(tree[key], child, depth - 1);
  }
}

/** The event fields, with the keys that the sample events have under them. */
export function fieldTreeOf(samples: readonly unknown[]): FieldTree {
  const tree: FieldTree = {};
  for (const name of EVENT_FIELDS) tree[name] = {};
  for (const sample of samples) addKeys(tree, sample, 5);
  return tree;
}

/** The names under a path of the tree (none when the path leads nowhere). */
export function fieldsAt(tree: FieldTree, path: readonly string[]): string[] {
  let node: FieldTree | undefined = tree;
  for (const name of path) node = node?.[name];
  return node ? Object.keys(node) : [];
}

/**
 * The path being typed at the end of `before`: `data.temp` → `{ path: ['data'], word: 'temp' }`. `root` is the
 * name the event has in the code (`event` in JavaScript): the path must start with it, and it is not part of
 * the answer. Null when the text does not end in a path.
 */
export function pathBefore(before: string, root: string | null): { path: string[]; word: string } | null {
  const match = /(?:^|[^\w$.])((?:[A-Za-z_][\w]*\.)*)([A-Za-z_][\w]*)?$/.exec(before);
  if (!match) return null;
  const parts = (match[1] ?? '').split('.').filter((p) => p !== '');
  const word = match[2] ?? '';
  if (root === null) return { path: parts, word };
  if (parts[0] !== root) return null;
  return { path: parts.slice(1), word };
}

/** The nodes upstream of a node, following the wires backwards. */
export function upstreamOf(nodeId: string, edges: readonly Pick<FlowEdge, 'source' | 'target'>[]): Set<string> {
  const seen = new Set<string>();
  const queue = [nodeId];
  while (queue.length > 0) {
    const id = queue.pop()!;
    for (const e of edges) {
      if (e.target === id && !seen.has(e.source)) {
        seen.add(e.source);
        queue.push(e.source);
      }
    }
  }
  seen.delete(nodeId);
  return seen;
}

/**
 * The samples that reached a node: events stored by a node upstream of it (a pass-through node forwards the event
 * it was given, so an event's `nodeId` is the node that stored it). When none did, every sample: keys seen
 * elsewhere in the flow are a better guess than none.
 */
export function samplesFor(nodeId: string, edges: readonly Pick<FlowEdge, 'source' | 'target'>[], events: readonly { nodeId?: string | null }[]): readonly unknown[] {
  const upstream = upstreamOf(nodeId, edges);
  const reached = events.filter((e) => typeof e.nodeId === 'string' && upstream.has(e.nodeId));
  return reached.length > 0 ? reached : events;
}
