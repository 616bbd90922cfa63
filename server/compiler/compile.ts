/**
 * compile(flow) → RuntimeGraph, or every problem at once. Pure: takes a value, returns a value.
 *
 * Subflow nodes are expanded first (subflows.ts). Checked: the document against the flow schema; unique node and edge ids; known node types; every config
 * against its type's schema (defaults filled in); edges join existing nodes and ports; no cycle avoids an actor;
 * JSONata and JavaScript parse (the flow's partition key too); a source exists; no port feeds more handlers than the
 * server allows. Warnings: unreachable or unconnected nodes, edges drawn twice, unknown config fields, cycles through
 * actors, actors keyed otherwise than the flow's partition key.
 */
import type { FlowDraft } from '../../shared/flow.js';
import { checkCode } from './code.js';
import { readDocument } from './document.js';
import { checkEdges } from './edges.js';
import { Report, type CompileProblem } from './errors.js';
import { checkHandlersPerPort } from './handlers-per-port.js';
import { checkNodes, type NodeDefaults } from './nodes.js';
import { checkPartitionKey } from './partition-key.js';
import { buildGraph, DEFAULT_HOP_LIMIT, type RuntimeGraph } from './runtime-graph.js';
import { checkScript, type ScriptChecker } from './script-check.js';
import { checkStructure } from './structure.js';
import { expandSubflows, onInstances, type SubflowLoader } from './subflows.js';

export { ERROR_CODES, WARNING_CODES, type CompileProblem, type ErrorCode, type WarningCode } from './errors.js';
export { DEFAULT_HOP_LIMIT, priorityOf, type CompiledNode, type RuntimeGraph, type SubflowInstance, type Wire } from './runtime-graph.js';
export type { ScriptChecker, ScriptSyntaxError } from './script-check.js';
export type { NodeDefaults } from './nodes.js';
export type { SubflowLoader } from './subflows.js';

export type CompileResult =
  | { ok: true; graph: RuntimeGraph; warnings: CompileProblem[] }
  | { ok: false; errors: CompileProblem[]; warnings: CompileProblem[] };

export interface CompileOptions {
  /** Hops a correlation chain may take (default 64). */
  hopLimit?: number;
  /** Parses JavaScript bodies (default: the sandbox's `checkScript`). */
  checkScript?: ScriptChecker;
  /** The most wires one output port may have (default: no bound). */
  maxHandlersPerPort?: number;
  /** Config values, by node type, for the fields a node's config leaves out (before the type's own defaults). */
  nodeDefaults?: NodeDefaults;
  /** Reads the latest revision of a subflow, for the `subflow` nodes to expand (subflows.ts); without it they are errors. */
  loadSubflow?: SubflowLoader;
}

/** Compiles a flow document: a FlowDraft, a saved Flow, or any JSON a client sent. */
export async function compile(flow: FlowDraft | unknown, options: CompileOptions = {}): Promise<CompileResult> {
  const report = new Report();
  const hopLimit = options.hopLimit ?? DEFAULT_HOP_LIMIT;
  if (!Number.isInteger(hopLimit) || hopLimit < 1) throw new RangeError(`hopLimit must be a positive integer, not ${hopLimit}`);

  const { document: doc, origins, instances } = await expandSubflows(readDocument(flow, report), options.loadSubflow, report);
  const nodes = checkNodes(doc.nodes, report, options.nodeDefaults);
  const edges = checkEdges(doc.edges, nodes.byId, doc.unread, report);
  checkHandlersPerPort(edges.wires, options.maxHandlersPerPort, report);
  checkStructure({ nodes: [...nodes.byId.values()], linked: edges.linked, complete: doc.complete, hopLimit }, report);
  await checkCode(nodes.all, report, options.checkScript ?? checkScript);
  checkPartitionKey(doc.partitionKey, nodes.all, report);

  const warnings = onInstances(report.warnings, origins);
  if (report.errors.length > 0) return { ok: false, errors: onInstances(report.errors, origins), warnings };
  const graph = buildGraph({ flowId: doc.id, revision: doc.revision, partitionKey: doc.partitionKey, nodes: nodes.all, wires: edges.wires, hopLimit, instances });
  return { ok: true, graph, warnings };
}

export interface ValidationResult {
  ok: boolean;
  errors: CompileProblem[];
  warnings: CompileProblem[];
}

/** What `POST /api/flows/validate` answers: `{ok, errors: [{code, nodeId, path, message}], warnings}`. */
export async function validateFlow(flow: FlowDraft | unknown, options: CompileOptions = {}): Promise<ValidationResult> {
  const result = await compile(flow, options);
  return result.ok
    ? { ok: true, errors: [], warnings: result.warnings }
    : { ok: false, errors: result.errors, warnings: result.warnings };
}
