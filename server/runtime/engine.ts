/**
 * The embedded event engine: publishes external events (stamped and durable before they are acknowledged),
 * deploys flow revisions (drain the old graph, then swap), and reports live status and debug output.
 *
 * Alone, the engine runs every flow it deploys. In a cluster a placement decides: deploy and stop record the
 * deployment and tell the placement, which runs each flow on the replica that holds its lease (`runHere`,
 * `stopHere`, with that lease's fenced store and clocks of the run's own).
 */
import type { FlowStatus, NodeTraffic } from '../../shared/api/flows.js';
import type { StoredEvent } from '../../shared/event.js';
import type { Flow } from '../../shared/flow.js';
import { compile, type CompileOptions } from '../compiler/compile.js';
import type { AppendResult, EventStore } from '../store/index.js';
import { FlowRuntime, type DebugMessage } from './flow-runtime.js';
import { EngineError } from './engine-error.js';
import type { DeployResult, EngineOptions } from './engine-options.js';
import { combinedStatus } from './flow-status.js';
import { instanceCounters } from './instance-counters.js';
import { mergedTraffic } from './node-traffic.js';
import { stampedAs, type FlowPlacement, type ReplicaStatus, type RunContext } from './placement.js';
import { runKeyOf, type PartitionSpec } from './partitions.js';
import { ProcessClocks } from './process-clocks.js';
import { publishedDraft, stampAndAppend, type PublishInput } from './stamp.js';
import { sharedUserCodePool, type UserCodePool } from './user-code/pool.js';

export type { DebugMessage, FlowPlacement, PublishInput, RunContext };
export { EngineError };
export type { DeployResult, EngineOptions };

/** The wire type, defined once in shared/api. */
export type { FlowStatus };

export class Engine {
  readonly store: EventStore;
  readonly process: string;
  readonly clocks: ProcessClocks;
  /** Where the flows' user code runs (replays use it too). */
  readonly userCode: UserCodePool;
  /** How this engine compiles a flow: validating one and replaying one compile it the same way. */
  readonly compileOptions: CompileOptions;
  /** The runs in this process, by run key (partitions.ts): one per flow alone, one per partition held in a cluster. */
  private readonly flows = new Map<string, FlowRuntime>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly debugListeners = new Set<(m: DebugMessage) => void>();
  private readonly debugHereListeners = new Set<(m: DebugMessage) => void>();
  private readonly appendListeners = new Set<(events: StoredEvent[]) => void>();
  private placement: FlowPlacement | null = null;
  private closed = false;

  constructor(private readonly options: EngineOptions) {
    this.store = options.store;
    this.process = options.process ?? 'main';
    this.clocks = new ProcessClocks(options.store);
    this.userCode = options.userCode ?? sharedUserCodePool();
    const { hopLimit, maxHandlersPerPort, nodeDefaults } = options;
    // Subflows are flows (sf-…): every compile reads their latest revision from the store.
    const loadSubflow = (id: string) => this.store.flows.get(id);
    this.compileOptions = { ...(hopLimit ? { hopLimit } : {}), ...(maxHandlersPerPort ? { maxHandlersPerPort } : {}), ...(nodeDefaults ? { nodeDefaults } : {}), loadSubflow };
  }

  /** Stamps and appends events from outside; resolves after commit, the moment to acknowledge them. */
  async publish(inputs: PublishInput[]): Promise<AppendResult[]> {
    if (this.closed) throw new EngineError('closed', 'the engine is shutting down');
    await this.admit();
    const results = await stampAndAppend(this.clocks, inputs, this.process, publishedDraft, (drafts) => this.store.append(drafts));
    this.noteAppended(results.map((r) => r.event));
    return results;
  }

  /** From now on deploys, stops and restores go through the placement (a cluster's coordinator). */
  placeWith(placement: FlowPlacement): void {
    this.placement = placement;
  }

  /**
   * Compiles and runs a revision; a revision already running is drained first, then swapped out. With a placement
   * the deployment is recorded and the placement runs it where it belongs.
   */
  async deploy(flow: Flow): Promise<DeployResult> {
    const placement = this.placement;
    if (!placement) {
      return this.exclusive(flow.id, async () => {
        const result = await this.start(flow);
        if (result.ok) await this.store.flows.setDeployment(flow.id, flow.revision);
        return result;
      });
    }
    const compiled = await compile(flow, this.compileOptions);
    if (!compiled.ok) return compiled;
    await this.store.flows.setDeployment(flow.id, flow.revision);
    await placement.deploymentChanged(flow.id);
    return { ok: true, deployedRevision: flow.revision, warnings: compiled.warnings };
  }

  /** Runs a revision in this process, draining and swapping out one already running; records nothing. */
  runHere(flow: Flow, context?: RunContext): Promise<DeployResult> {
    return this.exclusive(flow.id, () => this.start(flow, context));
  }

  private async start(flow: Flow, context?: RunContext): Promise<DeployResult> {
    const compiled = await compile(flow, this.compileOptions);
    if (!compiled.ok) return compiled;
    const key = runKeyOf(flow.id, context?.partition);
    await this.drainRun(key);
    const graph = context?.process ? stampedAs(compiled.graph, context.process) : compiled.graph;
    const runtime = new FlowRuntime(graph, {
      store: context?.store ?? this.store,
      clocks: context?.clocks ?? this.clocks,
      ...(this.options.queueCapacity ? { queueCapacity: this.options.queueCapacity } : {}),
      ...(this.options.maxLag ? { maxLag: this.options.maxLag } : {}),
      ...(this.options.maxDerivedPerInput ? { maxDerivedPerInput: this.options.maxDerivedPerInput } : {}),
      ...(this.options.batchSize ? { batchSize: this.options.batchSize } : {}),
      ...(this.options.maxLiveKeys ? { maxLiveKeys: this.options.maxLiveKeys } : {}),
      userCode: this.userCode,
      onDebug: (m) => {
        this.debugListeners.forEach((l) => l(m));
        this.debugHereListeners.forEach((l) => l(m));
      },
      onAppended: (events) => this.noteAppended(events),
      ...(this.options.log ? { log: this.options.log } : {}),
      ...(context?.partition ? { partition: context.partition } : {}),
    });
    await runtime.start();
    this.flows.set(key, runtime);
    return { ok: true, deployedRevision: flow.revision, warnings: compiled.warnings };
  }

  /** Drains and stops a flow; it stays stopped after a restart. */
  async stop(flowId: string): Promise<void> {
    const placement = this.placement;
    if (!placement) {
      return this.exclusive(flowId, async () => {
        await this.halt(flowId);
        await this.store.flows.setDeployment(flowId, null);
      });
    }
    await this.store.flows.setDeployment(flowId, null);
    await placement.deploymentChanged(flowId);
  }

  /** Drains and stops the flow's runs in this process (or only one partition's), if any; records nothing. */
  stopHere(flowId: string, partition?: PartitionSpec): Promise<void> {
    return this.exclusive(flowId, () => this.halt(flowId, partition));
  }

  private async halt(flowId: string, partition?: PartitionSpec): Promise<void> {
    const keys = partition ? [runKeyOf(flowId, partition)] : [...this.flows].filter(([, r]) => r.flowId === flowId).map(([key]) => key);
    for (const key of keys) await this.drainRun(key);
  }

  /** A drain that could not save its checkpoint (its partition's lease was taken) stopped the run all the same. */
  private async drainRun(key: string): Promise<void> {
    try {
      await this.flows.get(key)?.drain();
    } finally {
      this.flows.delete(key);
    }
  }

  /** The revision this process runs of a flow (of one partition of it), or null. */
  revisionHere(flowId: string, partition?: PartitionSpec): number | null {
    return this.flows.get(runKeyOf(flowId, partition))?.revision ?? null;
  }

  /** Why the run here of a flow (of one partition of it) stalled — the store refused its events after retries — or null. */
  failedHere(flowId: string, partition?: PartitionSpec): string | null {
    return this.flows.get(runKeyOf(flowId, partition))?.failed ?? null;
  }

  /** Restarts the flows that were deployed when the process last stopped, from their checkpoints (a placement starts its own). */
  async restore(): Promise<{ flowId: string; revision: number; error?: string }[]> {
    const out: { flowId: string; revision: number; error?: string }[] = [];
    if (this.placement) return out;
    for (const { flowId, revision } of await this.store.flows.deployments()) {
      const flow = await this.store.flows.revision(flowId, revision);
      if (!flow) continue;
      const result = await this.deploy(flow).catch((e: unknown) => ({ ok: false as const, errors: [], warnings: [], thrown: String(e) }));
      out.push(result.ok ? { flowId, revision } : { flowId, revision, error: 'thrown' in result ? result.thrown : 'does not compile' });
    }
    return out;
  }

  /** The flow's status: of its runs here, and in a cluster of its runs on the other replicas. */
  status(flowId: string): FlowStatus {
    const elsewhere = this.placement?.statusElsewhere(flowId);
    return combinedStatus([...this.statusHere(flowId), ...(elsewhere ? [elsewhere] : [])]);
  }

  /** Each replica's flows and their statuses there: this process's own, and in a cluster the others'. */
  replicas(): ReplicaStatus[] {
    const flows = Object.fromEntries(this.running().map((flowId) => [flowId, this.localStatus(flowId)]));
    return [{ process: this.process, flows }, ...(this.placement?.replicasElsewhere() ?? [])];
  }

  /** The flow's status in this process alone (what /metrics of this process counts). */
  localStatus(flowId: string): FlowStatus {
    return combinedStatus(this.statusHere(flowId));
  }

  /** The last events a node of the flow took in and sent out, over its runs in this process. */
  nodeTraffic(flowId: string, nodeId: string): NodeTraffic { return mergedTraffic([...this.flows.values()].flatMap((r) => (r.flowId === flowId ? (r.traffic(nodeId) ?? []) : []))); }

  /** The statuses of the flow's runs in this process (one per partition held). */
  statusHere(flowId: string): FlowStatus[] {
    const out: FlowStatus[] = [];
    for (const r of this.flows.values()) {
      if (r.flowId !== flowId) continue;
      const nodes = r.counters();
      const instances = r.graph.instances.size > 0 ? { instances: instanceCounters(r.graph.instances, nodes) } : {};
      out.push({ state: r.state, revision: r.revision, checkpoint: r.checkpoint, error: r.failed, nodes, ...instances });
    }
    return out;
  }

  /** The flows running in this process. */
  running(): string[] {
    return [...new Set([...this.flows.values()].map((r) => r.flowId))];
  }

  /** Nodes of the running flows that take events in (all but sources): the handlers events are delivered to. */
  eventHandlers(): number {
    let n = 0;
    for (const { graph } of this.flows.values()) n += graph.nodes.size - graph.sources.length;
    return n;
  }

  onDebug(listener: (m: DebugMessage) => void): () => void {
    this.debugListeners.add(listener);
    return () => this.debugListeners.delete(listener);
  }

  /** Debug output of the flows running in this process only (what a cluster passes on to the other replicas). */
  onDebugHere(listener: (m: DebugMessage) => void): () => void {
    this.debugHereListeners.add(listener);
    return () => this.debugHereListeners.delete(listener);
  }

  /** Debug output of a flow running on another replica, for this one's listeners. */
  debugElsewhere(message: DebugMessage): void {
    this.debugListeners.forEach((l) => l(message));
  }

  /** Every event this engine appended (published, produced, derived). */
  onAppended(listener: (events: StoredEvent[]) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  /** Drains every flow; the store stays open (its owner closes it). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.running().map((id) => this.exclusive(id, () => this.halt(id))));
  }

  /** Waits while a running flow lags too far behind; refuses with `bus_busy` if it does not catch up in time. */
  private async admit(): Promise<void> {
    // Mostly no flow is behind: then no timer and no race per publish.
    let behind = false;
    for (const runtime of this.flows.values()) behind ||= runtime.behind;
    if (!behind) return;
    const timeout = this.options.admitTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), timeout)));
    try {
      for (const runtime of this.flows.values()) {
        if ((await Promise.race([runtime.admit(), expired])) === 'expired') {
          throw new EngineError('bus_busy', `flow ${runtime.flowId} is behind; try again shortly`);
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private noteAppended(events: StoredEvent[]): void {
    const last = events[events.length - 1];
    if (!last) return;
    for (const runtime of this.flows.values()) runtime.noteHead(last.position);
    this.appendListeners.forEach((l) => l(events));
  }

  /** Deploys and stops of one flow run one at a time. */
  private exclusive<T>(flowId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(flowId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.locks.set(flowId, next);
    return next;
  }
}

