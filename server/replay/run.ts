/**
 * One replay, start to finish: compile the chosen revision, pick the inputs from the live namespace, run them
 * through an isolated runtime whose every event goes to the namespace `replay:<id>`, wait until it is quiet,
 * then compare its outputs with the original ones. Progress is readable at any time through `status()`.
 */
import type { EventDraft, StoredEvent } from '../../shared/event.js';
import type { Flow } from '../../shared/flow.js';
import { compile } from '../compiler/compile.js';
import type { RecordedEffect } from '../runtime/node.js';
import { FlowRuntime } from '../runtime/flow-runtime.js';
import { ProcessClocks } from '../runtime/process-clocks.js';
import type { EventStore } from '../store/types.js';
import { diffOutputs, type DiffSummary, type OutputChange } from './diff.js';
import { namespacedStore } from './namespaced-store.js';
import { replayGraph, type ReplayMode } from './replay-graph.js';
import { readAll, selectInputs, selectOriginals, type ReplaySelection } from './selection.js';

export interface ReplayRequest extends ReplaySelection {
  flowId: string;
  /** Default: the latest revision. */
  revision?: number;
  mode: ReplayMode;
  /** `max`: as fast as possible; a number N: N times the original spacing. */
  speed: 'max' | number;
}

export type ReplayState = 'running' | 'done' | 'failed';

/** The most changes a status lists (the summary counts them all). */
export const MAX_LISTED_CHANGES = 1000;

export interface ReplayStatus {
  id: string;
  state: ReplayState;
  flowId: string;
  revision: number | null;
  mode: ReplayMode;
  speed: 'max' | number;
  namespace: string;
  from: string | null;
  to: string | null;
  input: number;
  processed: number;
  diff: DiffSummary;
  byNode: Record<string, DiffSummary>;
  changes: OutputChange[];
  changesTruncated: boolean;
  /** What the side-effect sinks would have sent (dry-run). */
  effects: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface ReplayTiming {
  /** How often the run checks whether the runtime is quiet (ms). */
  pollMs: number;
  /** How long nothing may move before a runtime holding events (a batch without timeout) counts as quiet (ms). */
  settleMs: number;
  /** Inputs appended at once at speed `max`. */
  feedBatch: number;
}

const DEFAULT_TIMING: ReplayTiming = { pollMs: 10, settleMs: 2000, feedBatch: 500 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An input copied into the replay namespace as it was: same id, so derived ids match the original ones. */
const asDraft = (e: StoredEvent): EventDraft => ({
  id: e.id,
  type: e.type,
  source: e.source,
  time: e.time,
  subject: e.subject,
  datacontenttype: e.datacontenttype,
  data: e.data,
  stream: e.stream,
  process: e.process,
  vectorClock: e.vectorClock,
  correlationId: e.correlationId,
  causationId: e.causationId,
  flowId: e.flowId,
  nodeId: e.nodeId,
  revision: e.revision,
  metadata: e.metadata,
});

export class ReplayRun {
  readonly namespace: string;
  readonly effects: RecordedEffect[] = [];
  private readonly current: ReplayStatus;
  private inputPositions: number[] = [];
  private runtime: FlowRuntime | null = null;

  constructor(
    readonly id: string,
    readonly request: ReplayRequest,
    private readonly store: EventStore,
    private readonly timing: ReplayTiming = DEFAULT_TIMING,
  ) {
    this.namespace = `replay:${id}`;
    this.current = {
      id,
      state: 'running',
      flowId: request.flowId,
      revision: request.revision ?? null,
      mode: request.mode,
      speed: request.speed,
      namespace: this.namespace,
      from: request.from ?? null,
      to: request.to ?? null,
      input: 0,
      processed: 0,
      diff: { identical: 0, changed: 0, missing: 0, extra: 0 },
      byNode: {},
      changes: [],
      changesTruncated: false,
      effects: 0,
      error: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
  }

  status(): ReplayStatus {
    if (this.current.state === 'running' && this.runtime) this.current.processed = this.countProcessed(this.runtime.checkpoint);
    return { ...this.current, effects: this.effects.length };
  }

  /** Runs the replay; never throws (a failure is the state `failed` with its error). */
  async run(flow: Flow): Promise<ReplayStatus> {
    try {
      await this.execute(flow);
      this.current.state = 'done';
    } catch (error) {
      this.current.state = 'failed';
      this.current.error = error instanceof Error ? error.message : String(error);
      await this.runtime?.drain().catch(() => undefined);
    }
    this.current.finishedAt = new Date().toISOString();
    return this.status();
  }

  private async execute(flow: Flow): Promise<void> {
    this.current.revision = flow.revision;
    const compiled = await compile(flow);
    if (!compiled.ok) throw new Error(`revision ${flow.revision} does not compile: ${compiled.errors.map((e) => `${e.nodeId ?? ''} ${e.message}`).join('; ')}`);
    const graph = replayGraph(compiled.graph);
    const inputs = await selectInputs(this.store, compiled.graph, this.request);
    this.current.input = inputs.length;

    const view = namespacedStore(this.store, this.namespace);
    const runtime = new FlowRuntime(graph, {
      store: view,
      clocks: new ProcessClocks(view),
      ...(this.request.mode === 'dry-run' ? { recordEffect: (effect: RecordedEffect) => this.effects.push(effect) } : {}),
    });
    this.runtime = runtime;
    await runtime.start();
    await this.feed(view, inputs);
    await this.settle(view, runtime);
    await runtime.drain();
    this.current.processed = inputs.length;

    const replayed = await readAll(view, {}, (e) => e.nodeId !== null && e.causationId !== null);
    const originals = await selectOriginals(this.store, flow.id, inputs);
    const diff = diffOutputs(originals, replayed);
    this.current.diff = diff.summary;
    this.current.byNode = diff.byNode;
    this.current.changes = diff.changes.slice(0, MAX_LISTED_CHANGES);
    this.current.changesTruncated = diff.changes.length > MAX_LISTED_CHANGES;
  }

  /** Appends the inputs to the replay namespace, at once or spaced like the originals (divided by speed). */
  private async feed(view: EventStore, inputs: StoredEvent[]): Promise<void> {
    const { speed } = this.request;
    if (speed === 'max') {
      for (let i = 0; i < inputs.length; i += this.timing.feedBatch) await this.append(view, inputs.slice(i, i + this.timing.feedBatch));
      return;
    }
    const startedAt = Date.now();
    const first = inputs[0] ? Date.parse(inputs[0].time) : 0;
    let i = 0;
    while (i < inputs.length) {
      const due = (k: number) => startedAt + (Date.parse(inputs[k]!.time) - first) / speed;
      const wait = due(i) - Date.now();
      if (wait > 0) await sleep(wait);
      let j = i + 1;
      while (j < inputs.length && j - i < this.timing.feedBatch && due(j) <= Date.now()) j++;
      await this.append(view, inputs.slice(i, j));
      i = j;
    }
  }

  private async append(view: EventStore, batch: StoredEvent[]): Promise<void> {
    if (batch.length === 0) return;
    const results = await view.append(batch.map(asDraft));
    for (const r of results) this.inputPositions.push(r.event.position);
  }

  /** Waits until the runtime has handled everything in the namespace, or nothing has moved for `settleMs`. */
  private async settle(view: EventStore, runtime: FlowRuntime): Promise<void> {
    let last = { checkpoint: -1, pending: -1, since: Date.now() };
    for (;;) {
      if (runtime.failed) throw new Error(`the replay runtime stopped: ${runtime.failed}`);
      const checkpoint = runtime.checkpoint;
      const pending = await view.read({ after: checkpoint, limit: 1 });
      if (pending.length === 0) return;
      const next = pending[0]!.position;
      if (checkpoint !== last.checkpoint || next !== last.pending) last = { checkpoint, pending: next, since: Date.now() };
      else if (Date.now() - last.since >= this.timing.settleMs) return;
      this.current.processed = this.countProcessed(checkpoint);
      await sleep(this.timing.pollMs);
    }
  }

  private countProcessed(checkpoint: number): number {
    const positions = this.inputPositions;
    let lo = 0;
    let hi = positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (positions[mid]! <= checkpoint) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
