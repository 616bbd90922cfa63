/**
 * Three-way merge of flow revisions: `base` is the revision an editor started from, `mine` what it holds now,
 * `theirs` the newer revision someone saved meanwhile. Nodes are matched by id and wires by their ends (as in
 * flow-diff.ts). What only one side changed is taken from that side; a node both sides changed differently is a
 * conflict, for the user to settle by taking one side's node whole. A wire's presence never conflicts (two sides
 * that both left the base agree), but where mine and theirs hold it differently the user may pick either side. The
 * flow's own texts (name, description, partition key) are merged the same way, each as one value.
 *
 * Promises (merge.property.test.ts): merging identical sides gives that side; taking every choice from "mine" gives
 * mine; no node is lost or duplicated — a node id two sides added with different contents is kept twice, theirs
 * under a fresh id, and every id of the result is unique. Pure: values in, values out.
 */
import type { FlowEdge, FlowNode } from '../../shared/flow.js';
import { edgeKey, valueChanges } from './flow-diff.js';

export interface MergeSide {
  name: string;
  description: string;
  partitionKey?: string | undefined;
  nodes: readonly FlowNode[];
  edges: readonly FlowEdge[];
}

export type Pick3 = 'mine' | 'theirs';

/** How a node (or wire) stands: the same everywhere, changed by one side, by both alike, or by both differently. */
export type Standing = 'same' | 'mine' | 'theirs' | 'both' | 'conflict';

export interface FieldRow {
  /** `name`, `type`, `process`, `position` or `config.<path>`; `node` when a side has no such node. */
  path: string;
  base: unknown;
  mine: unknown;
  theirs: unknown;
}

export interface NodeMerge {
  id: string;
  base: FlowNode | null;
  mine: FlowNode | null;
  theirs: FlowNode | null;
  standing: Standing;
  /** The fields where mine and theirs differ, with all three values (empty unless the node is a conflict or one-sided). */
  fields: FieldRow[];
  /** The side taken unless the user picks: the side that changed, or mine for a conflict. */
  initial: Pick3;
}

export interface WireMerge {
  key: string;
  edge: FlowEdge;
  base: boolean;
  mine: boolean;
  theirs: boolean;
  /** Whether the wire is kept unless the user picks a side: the side that left the base decides. */
  kept: boolean;
}

export interface FlowMerge {
  nodes: NodeMerge[];
  wires: WireMerge[];
  name: TextMerge;
  description: TextMerge;
  /** `''` stands for a side without one. */
  partitionKey: TextMerge;
}

/** One of the flow's own texts on the three sides, with the side taken unless the user picks. */
export interface TextMerge {
  base: string;
  mine: string;
  theirs: string;
  initial: Pick3;
}

/** The flow's own texts, each merged as one value. */
export type FlowText = 'name' | 'description' | 'partitionKey';

export interface MergeChoices {
  /** Per node id; a node not named takes its `initial` side. */
  nodes?: Readonly<Record<string, Pick3>>;
  /** Per wire key, for wires where mine and theirs differ; others keep their `kept`. */
  wires?: Readonly<Record<string, Pick3>>;
  name?: Pick3;
  description?: Pick3;
  partitionKey?: Pick3;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A node as compared: every field, the position too. */
const nodeValue = (n: FlowNode | null) => (n ? { name: n.name, type: n.type, process: n.process, position: n.position, config: n.config } : null);

function standingOf(base: unknown, mine: unknown, theirs: unknown): Standing {
  const m = !same(base, mine);
  const t = !same(base, theirs);
  if (!m && !t) return 'same';
  if (m && !t) return 'mine';
  if (!m && t) return 'theirs';
  return same(mine, theirs) ? 'both' : 'conflict';
}

const initialOf = (standing: Standing): Pick3 => (standing === 'theirs' ? 'theirs' : 'mine');

function fieldRows(base: FlowNode | null, mine: FlowNode | null, theirs: FlowNode | null): FieldRow[] {
  if (!mine || !theirs) return [{ path: 'node', base: base ? 'present' : 'absent', mine: mine ? 'present' : 'absent', theirs: theirs ? 'present' : 'absent' }];
  const value = (n: FlowNode | null, path: string): unknown => {
    if (!n) return undefined;
    if (path === 'position') return n.position;
    if (!path.startsWith('config')) return n[path as 'name' | 'type' | 'process'];
    return path.split('.').slice(1).reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined), n.config);
  };
  const paths = [
    ...(['name', 'type', 'process'] as const).filter((k) => mine[k] !== theirs[k]),
    ...(same(mine.position, theirs.position) ? [] : ['position']),
    ...valueChanges(mine.config, theirs.config, 'config').map((c) => c.path),
  ];
  return paths.map((path) => ({ path, base: value(base, path), mine: value(mine, path), theirs: value(theirs, path) }));
}

/** Fresh ids: `<id>-theirs`, `<id>-theirs2` … until unused. */
function freshId(id: string, used: Set<string>): string {
  const stem = `${id.slice(0, 56)}-theirs`;
  let candidate = stem;
  for (let i = 2; used.has(candidate); i++) candidate = `${stem}${i}`;
  used.add(candidate);
  return candidate;
}

/**
 * Theirs with every node that both sides added under one id, with different contents, given a fresh id (its
 * wires follow), so that neither addition is lost.
 */
function separateAdditions(base: MergeSide, mine: MergeSide, theirs: MergeSide): MergeSide {
  const inBase = new Set(base.nodes.map((n) => n.id));
  const mineById = new Map(mine.nodes.map((n) => [n.id, n]));
  const used = new Set([...base.nodes, ...mine.nodes, ...theirs.nodes].map((n) => n.id));
  const renamed = new Map<string, string>();
  for (const node of theirs.nodes) {
    const ours = mineById.get(node.id);
    if (!inBase.has(node.id) && ours && !same(nodeValue(ours), nodeValue(node))) renamed.set(node.id, freshId(node.id, used));
  }
  if (renamed.size === 0) return theirs;
  const to = (id: string) => renamed.get(id) ?? id;
  return {
    ...theirs,
    nodes: theirs.nodes.map((n) => ({ ...n, id: to(n.id) })),
    edges: theirs.edges.map((e) => ({ ...e, source: to(e.source), target: to(e.target) })),
  };
}

/** Compares the three revisions: every node and wire of any of them, with how it stands and what it defaults to. */
export function mergeFlows(base: MergeSide, mine: MergeSide, theirsAsSaved: MergeSide): FlowMerge {
  const theirs = separateAdditions(base, mine, theirsAsSaved);
  const maps = [base, mine, theirs].map((side) => new Map(side.nodes.map((n) => [n.id, n])));
  const [b, m, t] = maps as [Map<string, FlowNode>, Map<string, FlowNode>, Map<string, FlowNode>];
  const ids = [...new Set([...mine.nodes, ...theirs.nodes, ...base.nodes].map((n) => n.id))];
  const nodes = ids.map((id): NodeMerge => {
    const [bn, mn, tn] = [b.get(id) ?? null, m.get(id) ?? null, t.get(id) ?? null];
    const standing = standingOf(nodeValue(bn), nodeValue(mn), nodeValue(tn));
    return { id, base: bn, mine: mn, theirs: tn, standing, fields: standing === 'same' || standing === 'both' ? [] : fieldRows(bn, mn, tn), initial: initialOf(standing) };
  });

  const keys = [base, mine, theirs].map((side) => new Map(side.edges.map((e) => [edgeKey(e), e])));
  const [be, me, te] = keys as [Map<string, FlowEdge>, Map<string, FlowEdge>, Map<string, FlowEdge>];
  const wireKeys = [...new Set([...me.keys(), ...te.keys(), ...be.keys()])];
  const wires = wireKeys.map((key): WireMerge => {
    const edge = (me.get(key) ?? te.get(key) ?? be.get(key)) as FlowEdge;
    const [inBase, inMine, inTheirs] = [be.has(key), me.has(key), te.has(key)];
    return { key, edge, base: inBase, mine: inMine, theirs: inTheirs, kept: inMine === inBase ? inTheirs : inMine };
  });

  const text = (k: FlowText): TextMerge => {
    const [b3, m3, t3] = [base[k] ?? '', mine[k] ?? '', theirs[k] ?? ''];
    return { base: b3, mine: m3, theirs: t3, initial: initialOf(standingOf(b3, m3, t3)) };
  };
  return { nodes, wires, name: text('name'), description: text('description'), partitionKey: text('partitionKey') };
}

/** The nodes that need the user: both sides changed them differently. */
export const conflictsOf = (merge: FlowMerge): NodeMerge[] => merge.nodes.filter((n) => n.standing === 'conflict');

/** The wires on which mine and theirs differ (the user may take either side). */
export const differingWires = (merge: FlowMerge): WireMerge[] => merge.wires.filter((w) => w.mine !== w.theirs);

/**
 * The merged flow under the user's choices. A wire is kept only if both its ends are; wire ids stay as they were
 * unless two kept wires share one, when the later gets a fresh id.
 */
export function resolveMerge(merge: FlowMerge, choices: MergeChoices = {}): MergeSide {
  const nodes: FlowNode[] = [];
  for (const entry of merge.nodes) {
    const side = choices.nodes?.[entry.id] ?? entry.initial;
    const node = side === 'mine' ? entry.mine : entry.theirs;
    if (node) nodes.push(node);
  }
  const present = new Set(nodes.map((n) => n.id));
  const edgeIds = new Set<string>();
  const edges: FlowEdge[] = [];
  for (const wire of merge.wires) {
    const picked = wire.mine === wire.theirs ? undefined : choices.wires?.[wire.key];
    const kept = picked === undefined ? wire.kept : picked === 'mine' ? wire.mine : wire.theirs;
    if (!kept || !present.has(wire.edge.source) || !present.has(wire.edge.target)) continue;
    const id = edgeIds.has(wire.edge.id) ? freshId(wire.edge.id, edgeIds) : wire.edge.id;
    edgeIds.add(id);
    edges.push(id === wire.edge.id ? wire.edge : { ...wire.edge, id });
  }
  const text = (k: FlowText) => ((choices[k] ?? merge[k].initial) === 'mine' ? merge[k].mine : merge[k].theirs);
  const partitionKey = text('partitionKey');
  return { name: text('name'), description: text('description'), ...(partitionKey === '' ? {} : { partitionKey }), nodes, edges };
}
