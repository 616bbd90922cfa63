/**
 * Subflow expansion: before the checks, every `subflow` node of the document is replaced by the nodes of its
 * subflow's latest revision, so the rest of the compiler and the runtime see one plain graph.
 *
 * - **Ids.** An inner node keeps its id under the instance's: node `f1` of the subflow, in instance `n3`, is
 *   `n3.f1` (nested: `n3.n2.f1`). Ids are therefore deterministic — the same flow, instance and subflow node give
 *   the same id on every deploy and every replica — so checkpoints, counters and derived event ids stay stable
 *   across deploys and across subflow revisions for nodes that stay. Wires: `n3.e1`; a wire through a port joins the
 *   outer and inner wire ids (`n3.e1:e7`).
 * - **Ports.** Whatever is wired into the instance enters at each `subflow-in` node's wires; an inner wire into a
 *   `subflow-out` node leaves by the instance's output port that node names. The port nodes themselves vanish.
 * - **Clocks and counters.** Inner nodes run on the instance's process (its vector-clock entry) and count under
 *   their own namespaced ids, as any node does. Each top-level instance is described by what it became (`instances`:
 *   its nodes, those its input port feeds, those that feed its output ports), so its card can show their sums.
 * - **Deploys.** The latest subflow revision is read when a flow is compiled (deploy, restore, validate); saving a
 *   subflow redeploys the running flows that use it (http/routes/subflow-deploys.ts), so they stay in step.
 *
 * Problems found in the expanded nodes are reported on the instance, naming the subflow and inner node.
 */
import { MAX_NODES, type FlowDraft, type FlowEdge, type FlowNode } from '../../shared/flow.js';
import type { FlowDocument, Indexed } from './document.js';
import { quote, type CompileProblem, type Report } from './errors.js';
import type { SubflowInstance } from './runtime-graph.js';

/** The latest revision of a subflow, or null when there is none. */
export type SubflowLoader = (id: string) => Promise<Pick<FlowDraft, 'nodes' | 'edges'> | null | undefined>;

/** How deep subflows may nest in one another. */
export const MAX_SUBFLOW_DEPTH = 8;

interface Definition {
  nodes: readonly FlowNode[];
  edges: readonly FlowEdge[];
}

/** Where an expanded node came from: the top-level instance the editor marks, the subflow and the inner node. */
export interface Origin {
  instance: string;
  subflow: string;
  inner: string;
}

export interface Expanded {
  document: FlowDocument;
  /** By expanded node id. */
  origins: Map<string, Origin>;
  /** The flow's own (top-level) instances, by instance id: what each expanded into. */
  instances: Map<string, SubflowInstance>;
}

/** What the expansion learns on its way: where each expanded node came from, and what each instance became. */
interface Found {
  origins: Map<string, Origin>;
  instances: Map<string, SubflowInstance>;
}

const subflowOf = (node: FlowNode): string | null => (node.type === 'subflow' && typeof node.config.subflow === 'string' ? node.config.subflow : null);

/** Loads every subflow the nodes use, and those they use in turn, up to MAX_SUBFLOW_DEPTH levels. */
async function loadAll(nodes: readonly FlowNode[], load: SubflowLoader): Promise<Map<string, Definition | null>> {
  const defs = new Map<string, Definition | null>();
  let wanted = [...new Set(nodes.map(subflowOf).filter((id): id is string => id !== null))];
  for (let depth = 0; depth <= MAX_SUBFLOW_DEPTH && wanted.length > 0; depth++) {
    const found = await Promise.all(wanted.map(async (id) => [id, (await load(id)) ?? null] as const));
    for (const [id, def] of found) defs.set(id, def);
    wanted = [...new Set(found.flatMap(([, def]) => (def ? def.nodes.map(subflowOf) : [])).filter((id): id is string => id !== null && !defs.has(id)))];
  }
  return defs;
}

export async function expandSubflows(doc: FlowDocument, load: SubflowLoader | undefined, report: Report): Promise<Expanded> {
  const found: Found = { origins: new Map(), instances: new Map() };
  const unexpanded = { document: doc, ...found };
  if (!doc.nodes.some((n) => n.item.type === 'subflow')) return unexpanded;
  if (!load) {
    for (const { item } of doc.nodes.filter((n) => n.item.type === 'subflow')) {
      report.error('unknown_subflow', { nodeId: item.id, path: 'config.subflow', message: `subflow node ${quote(item.id)}: subflows cannot be read here` });
    }
    return unexpanded;
  }
  const defs = await loadAll(doc.nodes.map((n) => n.item), load);
  // Instances multiply: ten subflows of ten instances each, nested, would be ten billion nodes. Counted before any is built.
  if (expandedSize(doc.nodes.map((n) => n.item), defs, new Map(), []) > MAX_NODES) {
    const first = doc.nodes.find((n) => n.item.type === 'subflow')!.item;
    report.error('subflow_too_large', { nodeId: first.id, path: 'config.subflow', message: `the flow's subflows expand to more than ${MAX_NODES} nodes` });
    return unexpanded;
  }
  const top = doc.id !== null && doc.id.startsWith('sf-') ? [doc.id] : [];
  const { nodes, edges } = expand(doc.nodes, doc.edges, defs, top, report, found, null);
  return { document: { ...doc, nodes, edges }, ...found };
}

/** How many nodes `nodes` make once every instance is expanded, counted up to just past MAX_NODES. */
function expandedSize(nodes: readonly FlowNode[], defs: ReadonlyMap<string, Definition | null>, sizes: Map<string, number>, stack: readonly string[]): number {
  let total = 0;
  for (const node of nodes) {
    const id = subflowOf(node);
    const def = id === null ? null : defs.get(id);
    // An unknown subflow or one that uses itself is reported when expanded; here it counts as one node.
    if (id === null || !def || stack.includes(id)) {
      total += 1;
    } else {
      let size = sizes.get(id);
      if (size === undefined) sizes.set(id, (size = expandedSize(def.nodes.filter((n) => n.type !== 'subflow-in' && n.type !== 'subflow-out'), defs, sizes, [...stack, id])));
      total += size;
    }
    if (total > MAX_NODES) return total;
  }
  return total;
}

function expand(
  nodes: Indexed<FlowNode>[],
  edges: Indexed<FlowEdge>[],
  defs: ReadonlyMap<string, Definition | null>,
  stack: readonly string[],
  report: Report,
  found: Found,
  /** The top-level instance these nodes belong to, when they are inside one. */
  within: string | null,
): { nodes: Indexed<FlowNode>[]; edges: Indexed<FlowEdge>[] } {
  let outNodes = nodes;
  let outEdges = edges;
  for (const { item: instance, index } of nodes) {
    const id = subflowOf(instance);
    if (id === null) continue;
    const def = defs.get(id);
    const fail = (message: string) => report.error(def === undefined || def === null ? 'unknown_subflow' : 'subflow_cycle', { nodeId: within ?? instance.id, path: 'config.subflow', message });
    if (stack.includes(id)) {
      fail(`subflow node ${quote(instance.id)}: subflow ${quote(id)} uses itself (${[...stack, id].join(' → ')})`);
      continue;
    }
    if (!def) {
      fail(def === undefined ? `subflow node ${quote(instance.id)}: subflows nest deeper than ${MAX_SUBFLOW_DEPTH} levels` : `subflow node ${quote(instance.id)}: there is no subflow ${quote(id)}`);
      continue;
    }
    const inner = expand(def.nodes.map((item) => ({ index, item })), def.edges.map((item) => ({ index, item })), defs, [...stack, id], report, found, within ?? instance.id);
    const spliced = splice(instance, index, inner.nodes.map((n) => n.item), inner.edges.map((e) => e.item), outEdges, report, within);
    const { origins } = found;
    if (within === null) found.instances.set(instance.id, { nodes: spliced.nodes.map((n) => n.item.id), entries: spliced.entries, exits: spliced.exits });
    for (const node of spliced.nodes) {
      const relative = node.item.id.slice(instance.id.length + 1);
      const nested = origins.get(relative);
      origins.delete(relative);
      origins.set(node.item.id, { instance: within ?? instance.id, subflow: nested?.subflow ?? id, inner: nested?.inner ?? relative });
    }
    outNodes = outNodes.flatMap((n) => (n.item === instance ? spliced.nodes : [n]));
    outEdges = spliced.edges;
  }
  return { nodes: outNodes, edges: outEdges };
}

/**
 * The instance's subflow nodes, namespaced, and the flow's wires rewired through the subflow's ports; with the nodes
 * its input port feeds (`entries`) and those feeding its output ports (`exits`), whatever the flow wires to it.
 */
function splice(
  instance: FlowNode,
  index: number,
  defNodes: readonly FlowNode[],
  defEdges: readonly FlowEdge[],
  outer: Indexed<FlowEdge>[],
  report: Report,
  within: string | null,
): { nodes: Indexed<FlowNode>[]; edges: Indexed<FlowEdge>[]; entries: string[]; exits: string[] } {
  const ns = (id: string) => `${instance.id}.${id}`;
  const ins = new Set(defNodes.filter((n) => n.type === 'subflow-in').map((n) => n.id));
  const outs = new Map(defNodes.filter((n) => n.type === 'subflow-out').map((n) => [n.id, typeof n.config.port === 'string' ? n.config.port : 'out']));
  const nodes = defNodes
    .filter((n) => !ins.has(n.id) && !outs.has(n.id))
    .map((n) => ({ index, item: { ...n, id: ns(n.id), name: `${instance.name || instance.id} › ${n.name || n.id}`, process: instance.process } }));

  const into = outer.filter((e) => e.item.target === instance.id);
  const from = outer.filter((e) => e.item.source === instance.id);
  const ports = new Set(outs.values());
  for (const { item, index: at } of from) {
    if (!ports.has(item.sourcePort)) {
      report.error('unknown_port', { nodeId: within ?? instance.id, edgeId: item.id, path: `edges.${at}.sourcePort`, message: `subflow node ${quote(instance.id)} has no output port ${quote(item.sourcePort)} (its subflow's ports: ${[...ports].join(', ') || 'none'})` });
    }
  }
  const edges: Indexed<FlowEdge>[] = outer.filter((e) => e.item.target !== instance.id && e.item.source !== instance.id);
  for (const e of defEdges) {
    const entering = ins.has(e.source) ? into : null;
    const leaving = outs.has(e.target) ? from.filter((f) => f.item.sourcePort === outs.get(e.target)) : null;
    const sources = entering ? entering.map((o) => ({ at: o.index, id: o.item.id, source: o.item.source, sourcePort: o.item.sourcePort })) : [{ at: index, id: '', source: ns(e.source), sourcePort: e.sourcePort }];
    const targets = leaving ? leaving.map((o) => ({ at: o.index, id: o.item.id, target: o.item.target, targetPort: o.item.targetPort })) : [{ at: index, id: '', target: ns(e.target), targetPort: e.targetPort }];
    for (const s of sources) {
      for (const t of targets) {
        const id = [ns(e.id), s.id, t.id].filter((part) => part !== '').join(':');
        edges.push({ index: entering ? s.at : t.at, item: { id, source: s.source, sourcePort: s.sourcePort, target: t.target, targetPort: t.targetPort } });
      }
    }
  }
  // Nested instances were spliced first, so a port's wire already leads to (or comes from) a node that runs.
  const kept = (id: string) => !ins.has(id) && !outs.has(id);
  const entries = [...new Set(defEdges.filter((e) => ins.has(e.source) && kept(e.target)).map((e) => ns(e.target)))];
  const exits = [...new Set(defEdges.filter((e) => outs.has(e.target) && kept(e.source)).map((e) => ns(e.source)))];
  return { nodes, edges, entries, exits };
}

/** Problems on expanded nodes, moved onto the instance the editor shows, naming the subflow and its node. */
export function onInstances(problems: CompileProblem[], origins: ReadonlyMap<string, Origin>): CompileProblem[] {
  if (origins.size === 0) return problems;
  return problems.map((p) => {
    const origin = p.nodeId === null ? undefined : origins.get(p.nodeId);
    if (!origin) return p;
    return { ...p, nodeId: origin.instance, path: 'config.subflow', message: `in subflow ${quote(origin.subflow)}, node ${quote(origin.inner)}: ${p.message}` };
  });
}

/** Whether the nodes use the subflow, directly or through the subflows they use. */
export async function usesSubflow(nodes: readonly FlowNode[], subflow: string, load: SubflowLoader): Promise<boolean> {
  const defs = await loadAll(nodes, load);
  return defs.has(subflow);
}
