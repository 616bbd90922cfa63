/**
 * The embedded event engine: publishes external events (stamped and durable before they are acknowledged),
 * deploys flow revisions (drain the old graph, then swap), and reports live status and debug output.
 */
import type { FlowStatus } from '../../shared/api/flows.js';
import type { StoredEvent } from '../../shared/event.js';
import type { Flow } from '../../shared/flow.js';
import { compile, type CompileOptions, type CompileProblem, type NodeDefaults } from '../compiler/compile.js';
import type { AppendResult, EventStore } from '../store/index.js';
import { FlowRuntime, type DebugMessage } from './flow-runtime.js';
import { ProcessClocks } from './process-clocks.js';
import { publishedDraft, stampAndAppend, type PublishInput } from './stamp.js';
import { sharedUserCodePool, type UserCodePool } from './user-code/pool.js';

export type { PublishInput };

export interface EngineOptions {
  store: EventStore;
  /** This runtime's process name (its vector-clock entry); default `main`. */
  process?: string;
  hopLimit?: number;
  queueCapacity?: number;
  maxLag?: number;
  /** How long a publish waits for a lagging bus before it is refused (ms). */
  admitTimeoutMs?: number;
  /** Where the flows' user code runs; default one pool shared by the process. */
  userCode?: UserCodePool;
  /** The most events one input may derive at one node. */
  maxDerivedPerInput?: number;
  /** The most inputs a node takes from its mailbox at once (default 256). */
  batchSize?: number;
  /** Keys an actor node keeps in memory at most; beyond them the least recently used are passivated (default: no bound). */
  maxLiveKeys?: number;
  /** The most wires one output port of a deployed flow may have (default: no bound). */
  maxHandlersPerPort?: number;
  /** Config values, by node type, for the fields a node's config leaves out (the server's actor defaults). */
  nodeDefaults?: NodeDefaults;
  log?: (message: string, details?: Record<string, unknown>) => void;
}

export type DeployResult =
  | { ok: true; deployedRevision: number; warnings: CompileProblem[] }
  | { ok: false; errors: CompileProblem[]; warnings: CompileProblem[] };

/** The wire type, defined once in shared/api. */
export type { FlowStatus };

export class EngineError extends Error {
  constructor(
    readonly code: 'bus_busy' | 'closed',
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export class Engine {
  readonly store: EventStore;
  readonly process: string;
  readonly clocks: ProcessClocks;
  /** Where the flows' user code runs (replays use it too). */
  readonly userCode: UserCodePool;
  /** How this engine compiles a flow: validating one and replaying one compile it the same way. */
  readonly compileOptions: CompileOptions;
  private readonly flows = new Map<string, FlowRuntime>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly debugListeners = new Set<(m: DebugMessage) => void>();
  private readonly appendListeners = new Set<(events: StoredEvent[]) => void>();
  private closed = false;

  constructor(private readonly options: EngineOptions) {
    this.store = options.store;
    this.process = options.process ?? 'main';
    this.clocks = new ProcessClocks(options.store);
    this.userCode = options.userCode ?? sharedUserCodePool();
    const { hopLimit, maxHandlersPerPort, nodeDefaults } = options;
    this.compileOptions = { ...(hopLimit ? { hopLimit } : {}), ...(maxHandlersPerPort ? { maxHandlersPerPort } : {}), ...(nodeDefaults ? { nodeDefaults } : {}) };
  }

  /** Stamps and appends events from outside; resolves after commit, the moment to acknowledge them. */
  async publish(inputs: PublishInput[]): Promise<AppendResult[]> {
    if (this.closed) throw new EngineError('closed', 'the engine is shutting down');
    await this.admit();
    const results = await stampAndAppend(this.clocks, inputs, this.process, publishedDraft, (drafts) => this.store.append(drafts));
    this.noteAppended(results.map((r) => r.event));
    return results;
  }

  /** Compiles and runs a revision; a revision already running is drained first, then swapped out. */
  deploy(flow: Flow): Promise<DeployResult> {
    return this.exclusive(flow.id, async () => {
      const compiled = await compile(flow, this.compileOptions);
      if (!compiled.ok) return compiled;
      await this.flows.get(flow.id)?.drain();
      this.flows.delete(flow.id);
      const runtime = new FlowRuntime(compiled.graph, {
        store: this.store,
        clocks: this.clocks,
        ...(this.options.queueCapacity ? { queueCapacity: this.options.queueCapacity } : {}),
        ...(this.options.maxLag ? { maxLag: this.options.maxLag } : {}),
        ...(this.options.maxDerivedPerInput ? { maxDerivedPerInput: this.options.maxDerivedPerInput } : {}),
        ...(this.options.batchSize ? { batchSize: this.options.batchSize } : {}),
        ...(this.options.maxLiveKeys ? { maxLiveKeys: this.options.maxLiveKeys } : {}),
        userCode: this.userCode,
        onDebug: (m) => this.debugListeners.forEach((l) => l(m)),
        onAppended: (events) => this.noteAppended(events),
        ...(this.options.log ? { log: this.options.log } : {}),
      });
      await runtime.start();
      this.flows.set(flow.id, runtime);
      await this.store.flows.setDeployment(flow.id, flow.revision);
      return { ok: true, deployedRevision: flow.revision, warnings: compiled.warnings };
    });
  }

  /** Drains and stops a flow; it stays stopped after a restart. */
  stop(flowId: string): Promise<void> {
    return this.exclusive(flowId, async () => {
      await this.flows.get(flowId)?.drain();
      this.flows.delete(flowId);
      await this.store.flows.setDeployment(flowId, null);
    });
  }

  /** Restarts the flows that were deployed when the process last stopped, from their checkpoints. */
  async restore(): Promise<{ flowId: string; revision: number; error?: string }[]> {
    const out: { flowId: string; revision: number; error?: string }[] = [];
    for (const { flowId, revision } of await this.store.flows.deployments()) {
      const flow = await this.store.flows.revision(flowId, revision);
      if (!flow) continue;
      const result = await this.deploy(flow).catch((e: unknown) => ({ ok: false as const, errors: [], warnings: [], thrown: String(e) }));
      out.push(result.ok ? { flowId, revision } : { flowId, revision, error: 'thrown' in result ? result.thrown : 'does not compile' });
    }
    return out;
  }

  status(flowId: string): FlowStatus {
    const runtime = this.flows.get(flowId);
    if (!runtime) return { state: 'stopped', revision: null, checkpoint: null, error: null, nodes: {} };
    return { state: runtime.state, revision: runtime.revision, checkpoint: runtime.checkpoint, error: runtime.failed, nodes: runtime.counters() };
  }

  running(): string[] {
    return [...this.flows.keys()];
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

  /** Every event this engine appended (published, produced, derived). */
  onAppended(listener: (events: StoredEvent[]) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  /** Drains every flow; the store stays open (its owner closes it). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.flows.keys()].map((id) => this.exclusive(id, async () => {
      await this.flows.get(id)?.drain();
      this.flows.delete(id);
    })));
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
