/**
 * One replay, start to finish: compile the chosen revision, pick the inputs from the live namespace, run them
 * through an isolated runtime whose every event goes to the namespace `replay:<id>`, wait until it is quiet,
 * then compare its outputs with the original ones. Progress is readable at any time through `status()`, and
 * `onChange` hears when it moves.
 */
import type { StoredEvent } from '../../shared/event.js';
import type { Flow } from '../../shared/flow.js';
import { compile } from '../compiler/compile.js';
import type { RecordedEffect } from '../runtime/node.js';
import { FlowRuntime } from '../runtime/flow-runtime.js';
import { ProcessClocks } from '../runtime/process-clocks.js';
import { sleep } from '../runtime/sleep.js';
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

/** The most recorded effects a replay keeps (its status counts them all). */
export const MAX_KEPT_EFFECTS = 1000;

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
  filter: ReplaySelection['filter'] | null;
  input: number;
  processed: number;
  diff: DiffSummary;
  byNode: Record<string, DiffSummary>;
  changes: OutputChange[];
  changesTruncated: boolean;
  /** What the side-effect sinks would have sent (dry-run). */
  effects: number;
  /** What a reader of the diff should know about how the replay ran (actors starting from their initial state). */
  notes: string[];
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** The note of a replay through a revision with actors: their state before the first input is not restored. */
export const ACTORS_START_EMPTY =
  'actors start from their initial state: what they had folded in before the first replayed input is not restored, so their outputs may differ from the originals for that reason alone';

/** The status of a replay that has just started: nothing read, nothing compared. */
export function startingStatus(id: string, request: ReplayRequest): ReplayStatus {
  return {
    id,
    state: 'running',
    flowId: request.flowId,
    revision: request.revision ?? null,
    mode: request.mode,
    speed: request.speed,
    namespace: `replay:${id}`,
    from: request.from ?? null,
    to: request.to ?? null,
    filter: request.filter ?? null,
    input: 0,
    processed: 0,
    diff: { identical: 0, changed: 0, missing: 0, extra: 0 },
    byNode: {},
    changes: [],
    changesTruncated: false,
    effects: 0,
    notes: [],
    error: null,
    startedAt: new Date().toISOString(),
    finishedAt: null,
  };
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

export interface ReplayRunOptions {
  timing?: Partial<ReplayTiming>;
  /** Called when the state, the input count or the progress changed (synchronously: keep it cheap). */
  onChange?: (run: ReplayRun) => void;
}

export class ReplayRun {
  readonly namespace: string;
  /** The first MAX_KEPT_EFFECTS effects the sinks recorded. */
  readonly effects: RecordedEffect[] = [];
  private effectCount = 0;
  private readonly current: ReplayStatus;
  private inputPositions: number[] = [];
  private runtime: FlowRuntime | null = null;
  private readonly timing: ReplayTiming;
  private readonly onChange: ((run: ReplayRun) => void) | undefined;
  private aborted: string | null = null;
  private readonly stopping = new AbortController();

  constructor(
    readonly id: string,
    readonly request: ReplayRequest,
    private readonly store: EventStore,
    options: ReplayRunOptions = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.onChange = options.onChange;
    this.current = startingStatus(id, request);
    this.namespace = this.current.namespace;
  }

  status(): ReplayStatus {
    const live = this.current.state === 'running' && this.runtime !== null;
    return { ...this.current, processed: live ? this.countProcessed(this.runtime!.checkpoint) : this.current.processed, effects: this.effectCount };
  }

  /** Stops a running replay: it fails with `reason` as its error. */
  abort(reason: string): void {
    if (this.current.state === 'running') this.aborted ??= reason;
    this.stopping.abort();
  }

  /** Waits `ms`, or less when aborted. */
  private pause(ms: number): Promise<void> {
    return sleep(ms, this.stopping.signal);
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
    this.changed();
    return this.status();
  }

  private changed(): void {
    this.onChange?.(this);
  }

  private checkAborted(): void {
    if (this.aborted !== null) throw new Error(this.aborted);
  }

  /** Takes the runtime's progress; tells `onChange` when it moved. */
  private noteProgress(checkpoint: number): void {
    const processed = this.countProcessed(checkpoint);
    if (processed === this.current.processed) return;
    this.current.processed = processed;
    this.changed();
  }

  private recordEffect(effect: RecordedEffect): void {
    if (this.effects.length < MAX_KEPT_EFFECTS) this.effects.push(effect);
    this.effectCount++;
  }

  private async execute(flow: Flow): Promise<void> {
    this.current.revision = flow.revision;
    const compiled = await compile(flow);
    if (!compiled.ok) throw new Error(`revision ${flow.revision} does not compile: ${compiled.errors.map((e) => `${e.nodeId ?? ''} ${e.message}`).join('; ')}`);
    const graph = replayGraph(compiled.graph);
    if ([...graph.nodes.values()].some((n) => n.type === 'actor')) this.current.notes = [ACTORS_START_EMPTY];
    const inputs = await selectInputs(this.store, compiled.graph, this.request);
    this.current.input = inputs.length;
    this.changed();
    this.checkAborted();

    const view = namespacedStore(this.store, this.namespace);
    const runtime = new FlowRuntime(graph, {
      store: view,
      clocks: new ProcessClocks(view),
      ...(this.request.mode === 'dry-run' ? { recordEffect: (effect: RecordedEffect) => this.recordEffect(effect) } : {}),
    });
    this.runtime = runtime;
    await runtime.start();
    await this.feed(view, inputs);
    await this.settle(view, runtime);
    await runtime.drain();
    this.current.processed = inputs.length;
    this.changed();

    const replayed = await readAll(view, { flowId: flow.id }, (e) => e.nodeId !== null && e.causationId !== null);
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
      for (let i = 0; i < inputs.length; i += this.timing.feedBatch) {
        this.checkAborted();
        await this.append(view, inputs.slice(i, i + this.timing.feedBatch));
      }
      return;
    }
    const startedAt = Date.now();
    const first = inputs[0] ? Date.parse(inputs[0].time) : 0;
    let i = 0;
    while (i < inputs.length) {
      this.checkAborted();
      const due = (k: number) => startedAt + (Date.parse(inputs[k]!.time) - first) / speed;
      const wait = due(i) - Date.now();
      if (wait > 0) await this.pause(wait);
      this.checkAborted();
      let j = i + 1;
      while (j < inputs.length && j - i < this.timing.feedBatch && due(j) <= Date.now()) j++;
      await this.append(view, inputs.slice(i, j));
      if (this.runtime) this.noteProgress(this.runtime.checkpoint);
      i = j;
    }
  }

  private async append(view: EventStore, batch: StoredEvent[]): Promise<void> {
    if (batch.length === 0) return;
    // Copied into the replay namespace as they were (a stored event is a draft with more fields): same ids, so the
    // derived ids match the original ones.
    const results = await view.append(batch);
    for (const r of results) this.inputPositions.push(r.event.position);
  }

  /** Waits until the runtime has handled everything in the namespace, or nothing has moved for `settleMs`. */
  private async settle(view: EventStore, runtime: FlowRuntime): Promise<void> {
    let last = { checkpoint: -1, pending: -1, since: Date.now() };
    for (;;) {
      this.checkAborted();
      if (runtime.failed) throw new Error(`the replay runtime stopped: ${runtime.failed}`);
      const checkpoint = runtime.checkpoint;
      const pending = await view.read({ after: checkpoint, limit: 1 });
      if (pending.length === 0) return;
      const next = pending[0]!.position;
      if (checkpoint !== last.checkpoint || next !== last.pending) last = { checkpoint, pending: next, since: Date.now() };
      else if (Date.now() - last.since >= this.timing.settleMs) return;
      this.noteProgress(checkpoint);
      await this.pause(this.timing.pollMs);
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
