/**
 * One replay, start to finish: compile the chosen revision, pick the inputs from the live namespace, run them
 * through an isolated runtime whose every event goes to the namespace `replay:<id>`, wait until it is quiet,
 * and compare its outputs with the original ones. Progress is readable at any time through `status()`, and
 * `onChange` hears when it moves.
 *
 * Memory stays bounded by pages, not by the size of the replay: inputs are read and fed a page at a time, never
 * more than `maxAhead` of them ahead of the runtime; the originals are kept only as digests (diff.ts), and the
 * replayed outputs are compared as the runtime passes them, a page at a time. What is held for the whole run is
 * small per event: the ids of the inputs and originals while the originals are found, a digest per original, and
 * each input's position in the namespace (for progress).
 *
 * A replay stops between pages: cancelled (`cancel()`, state `cancelled`) or aborted (`abort()`, state `failed`).
 * Either way the runtime drains what it holds — at most `maxAhead` inputs — and the diff keeps what was compared,
 * marked partial: the outputs of the inputs the runtime handled, and as missing only their originals.
 */
import type { UserCodePool } from '../runtime/user-code/pool.js';
import type { ReplayStatus } from '../../shared/api/replays.js';
import type { StoredEvent } from '../../shared/event.js';
import type { Flow } from '../../shared/flow.js';
import { compile, type CompileOptions } from '../compiler/compile.js';
import type { RecordedEffect } from '../runtime/node.js';
import { FlowRuntime } from '../runtime/flow-runtime.js';
import { ProcessClocks } from '../runtime/process-clocks.js';
import { sleep } from '../runtime/sleep.js';
import { type EventStore, READ_LIMIT } from '../store/index.js';
import { OutputComparer, outputChanges } from './diff.js';
import { ActorOrigins } from './actor-origins.js';
import { namespacedStore } from './namespaced-store.js';
import { replayGraph, type ReplayMode } from './replay-graph.js';
import { inputPages, originalPages, type ReplaySelection } from './selection.js';
import type { RuntimeGraph } from '../compiler/compile.js';

export interface ReplayRequest extends ReplaySelection {
  flowId: string;
  /** Default: the latest revision. */
  revision?: number;
  mode: ReplayMode;
  /** `max`: as fast as possible; a number N: N times the original spacing. */
  speed: 'max' | number;
  /** Who asked for it: the token's name; null or absent without tokens. */
  startedBy?: string | null;
}

/** The most changes a status lists (the summary counts them all). */
export const MAX_LISTED_CHANGES = 1000;

/** The most recorded effects a replay keeps (its status counts them all). */
export const MAX_KEPT_EFFECTS = 1000;

/** The status of a replay that has just started: nothing read, nothing compared. */
export function startingStatus(id: string, request: ReplayRequest, flowName: string | null = null): ReplayStatus {
  return {
    id,
    state: 'running',
    flowId: request.flowId,
    flowName,
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
    partial: true,
    effects: 0,
    notes: [],
    error: null,
    startedBy: request.startedBy ?? null,
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
  /** Inputs fed at most ahead of what the runtime has handled: what a cancel waits for, and what the runtime holds. */
  maxAhead: number;
}

const DEFAULT_TIMING: ReplayTiming = { pollMs: 10, settleMs: 2000, feedBatch: 500, maxAhead: 5000 };

/** Thrown inside a run to stop it between pages; `run` turns it into the state `cancelled` or `failed`. */
class Stopped extends Error {}

/**
 * Where a replay's inputs and originals come from, and what graph it runs: by default its selection (selection.ts)
 * through the revision as compiled; a re-drive brings its own (redrive-source.ts).
 */
export interface ReplaySource {
  /** The graph to run, from the revision compiled and made safe to replay. */
  graph(compiled: RuntimeGraph): RuntimeGraph;
  /** The inputs as fed, in position order, a page at a time; read twice (counted, then fed). */
  inputs(): AsyncIterable<StoredEvent[]>;
  /** The original outputs to compare with, each with the ordinal of its input (see `originalPages`). */
  originals(roots: Map<string, number>, firstInputPosition: number): AsyncIterable<{ event: StoredEvent; root: number }[]>;
  /** What a reader of the diff should know of how it ran. */
  notes?: string[];
}

/** The default source: the inputs the request's selection picks, and everything the flow derived from them. */
function selectionSource(store: EventStore, flowId: string, request: ReplaySelection): ReplaySource {
  let compiled: RuntimeGraph | null = null;
  return {
    graph: (g) => (compiled = g),
    inputs: () => inputPages(store, compiled!, request),
    originals: (roots, first) => originalPages(store, flowId, roots, first),
  };
}

export interface ReplayRunOptions {
  /** Where the inputs and originals come from; default the request's selection. */
  source?: ReplaySource;
  timing?: Partial<ReplayTiming>;
  /** How the revision is compiled: as the server deploys it (its bounds and node defaults). */
  compile?: CompileOptions;
  /** Where the flow's user code runs; default the process's shared pool. */
  userCode?: UserCodePool;
  /** Called when the state, the input count or the progress changed (synchronously: keep it cheap). */
  onChange?: (run: ReplayRun) => void;
  /** The name of the flow it replays, shown in lists before the run reads the revision. */
  flowName?: string;
}


export class ReplayRun {
  readonly namespace: string;
  /** The first MAX_KEPT_EFFECTS effects the sinks recorded. */
  readonly effects: RecordedEffect[] = [];
  private effectCount = 0;
  private readonly current: ReplayStatus;
  /** Each fed input's position in the namespace, in the order fed (ascending): input `i` is the `i`-th. */
  private readonly inputPositions: number[] = [];
  private runtime: FlowRuntime | null = null;
  private readonly userCode: UserCodePool | undefined;
  private readonly source: ReplaySource | undefined;
  private readonly compileOptions: CompileOptions;
  private view: EventStore | null = null;
  private readonly comparer = new OutputComparer(MAX_LISTED_CHANGES);
  /** The namespace position up to which the replayed outputs are compared. */
  private compared = 0;
  private readonly timing: ReplayTiming;
  private readonly onChange: ((run: ReplayRun) => void) | undefined;
  /** Why it was aborted: it fails with this error. */
  private aborted: string | null = null;
  private cancelled = false;
  private readonly stopping = new AbortController();
  private closeOrigins: () => void = () => undefined;

  constructor(
    readonly id: string,
    readonly request: ReplayRequest,
    private readonly store: EventStore,
    options: ReplayRunOptions = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.onChange = options.onChange;
    this.userCode = options.userCode;
    this.source = options.source;
    this.compileOptions = options.compile ?? {};
    this.current = startingStatus(id, request, options.flowName ?? null);
    this.namespace = this.current.namespace;
  }

  get running(): boolean {
    return this.current.state === 'running';
  }

  status(): ReplayStatus {
    const live = this.running && this.runtime !== null;
    return { ...this.current, processed: live ? this.countProcessed(this.runtime!.checkpoint) : this.current.processed, effects: this.effectCount };
  }

  /** Stops a running replay at the next page: it ends `cancelled`, with the diff of what it handled. */
  cancel(): void {
    if (!this.running) return;
    if (this.aborted === null) this.cancelled = true;
    this.stopping.abort();
  }

  /** Stops a running replay at the next page: it fails with `reason` as its error (unless already cancelled). */
  abort(reason: string): void {
    if (this.running && !this.cancelled) this.aborted ??= reason;
    this.stopping.abort();
  }

  /** Waits `ms`, or less when stopped. */
  private pause(ms: number): Promise<void> {
    return sleep(ms, this.stopping.signal);
  }

  /** Runs the replay; never throws (a failure is the state `failed` with its error). */
  async run(flow: Flow): Promise<ReplayStatus> {
    try {
      await this.execute(flow);
      this.current.state = 'done';
      this.current.partial = false;
    } catch (error) {
      if (error instanceof Stopped && this.cancelled) {
        this.current.state = 'cancelled';
      } else {
        this.current.state = 'failed';
        this.current.error = error instanceof Stopped ? (this.aborted ?? 'stopped') : error instanceof Error ? error.message : String(error);
      }
      await this.finishEarly();
    }
    this.closeOrigins();
    this.current.finishedAt = new Date().toISOString();
    this.changed();
    return this.status();
  }

  private changed(): void {
    this.onChange?.(this);
  }

  private checkStopped(): void {
    if (this.stopping.signal.aborted) throw new Stopped();
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
    this.current.flowName = flow.name;
    const compiled = await compile(flow, this.compileOptions);
    if (!compiled.ok) throw new Error(`revision ${flow.revision} does not compile: ${compiled.errors.map((e) => `${e.nodeId ?? ''} ${e.message}`).join('; ')}`);
    const source = this.source ?? selectionSource(this.store, flow.id, this.request);
    const graph = source.graph(replayGraph(compiled.graph));
    this.current.notes = [...(source.notes ?? [])];
    this.checkStopped();

    // The inputs are counted first (the progress says "n of input"), keeping only their ids, to find the originals.
    const roots = new Map<string, number>();
    let count = 0;
    let first: StoredEvent | null = null;
    for await (const page of source.inputs()) {
      this.checkStopped();
      first ??= page[0]!;
      for (const e of page) roots.set(e.id, count++);
    }
    this.current.input = count;
    this.changed();
    if (first) {
      for await (const page of source.originals(roots, first.position)) {
        this.checkStopped();
        for (const { event, root } of page) this.comparer.original(event, root);
      }
    }
    roots.clear();

    const view = namespacedStore(this.store, this.namespace);
    const hasActors = [...graph.nodes.values()].some((n) => n.type === 'actor');
    // Actors start each key from the state it had live before its first replayed input.
    const origins = hasActors && first ? new ActorOrigins(this.store, compiled.graph, flow.id, first.position, this.userCode) : null;
    this.closeOrigins = () => origins?.close();
    const runtime = new FlowRuntime(graph, {
      store: view,
      clocks: new ProcessClocks(view),
      ...(origins ? { keyOrigin: origins } : {}),
      ...(this.userCode ? { userCode: this.userCode } : {}),
      ...(this.request.mode === 'dry-run' ? { recordEffect: (effect: RecordedEffect) => this.recordEffect(effect) } : {}),
    });
    this.view = view;
    this.runtime = runtime;
    await runtime.start();
    if (first) await this.feed(view, runtime, source, count, Date.parse(first.time));
    await this.settle(view, runtime);
    await runtime.drain();
    this.current.processed = this.inputPositions.length;
    this.changed();
    await this.compareUpTo(view, Infinity);
    this.comparer.finish();
    this.takeDiff();
  }

  /** After a stop or a failure: the runtime finishes what it holds, and the outputs of the inputs it handled are compared. */
  private async finishEarly(): Promise<void> {
    const { runtime, view } = this;
    if (!runtime || !view) return;
    try {
      await runtime.drain();
      const handled = this.countProcessed(runtime.checkpoint);
      this.current.processed = handled;
      await this.compareUpTo(view, Infinity, false);
      this.comparer.finish((root) => root < handled);
      this.takeDiff();
    } catch {
      // The diff stays as far as it got.
    }
  }

  /**
   * Appends the inputs to the replay namespace, page by page, `count` of them (those counted): at once or spaced like
   * the originals (divided by speed), never more than `maxAhead` ahead of the runtime.
   */
  private async feed(view: EventStore, runtime: FlowRuntime, source: ReplaySource, count: number, firstTime: number): Promise<void> {
    const { speed } = this.request;
    const { feedBatch } = this.timing;
    const startedAt = Date.now();
    const due = (e: StoredEvent) => startedAt + (Date.parse(e.time) - firstTime) / (speed === 'max' ? Infinity : speed);
    let fed = 0;
    for await (const page of source.inputs()) {
      const end = Math.min(page.length, count - fed);
      let i = 0;
      while (i < end) {
        this.checkStopped();
        await this.keepUp(view, runtime);
        let j = i + 1;
        if (speed === 'max') {
          j = Math.min(end, i + feedBatch);
        } else {
          const wait = due(page[i]!) - Date.now();
          if (wait > 0) await this.pause(wait);
          this.checkStopped();
          while (j < end && j - i < feedBatch && due(page[j]!) <= Date.now()) j++;
        }
        await this.append(view, page.slice(i, j));
        fed += j - i;
        this.noteProgress(runtime.checkpoint);
        i = j;
      }
      if (fed >= count) return;
    }
  }

  /** Waits while the runtime is `maxAhead` inputs or more behind, comparing what it has handled meanwhile. */
  private async keepUp(view: EventStore, runtime: FlowRuntime): Promise<void> {
    for (;;) {
      if (runtime.failed) throw new Error(`the replay runtime stopped: ${runtime.failed}`);
      const checkpoint = runtime.checkpoint;
      this.noteProgress(checkpoint);
      await this.compareUpTo(view, checkpoint);
      if (this.inputPositions.length - this.countProcessed(checkpoint) < this.timing.maxAhead) return;
      await this.pause(this.timing.pollMs);
      this.checkStopped();
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
      this.checkStopped();
      if (runtime.failed) throw new Error(`the replay runtime stopped: ${runtime.failed}`);
      const checkpoint = runtime.checkpoint;
      await this.compareUpTo(view, checkpoint);
      const pending = await view.read({ after: checkpoint, limit: 1 });
      if (pending.length === 0) return;
      const next = pending[0]!.position;
      if (checkpoint !== last.checkpoint || next !== last.pending) last = { checkpoint, pending: next, since: Date.now() };
      else if (Date.now() - last.since >= this.timing.settleMs) return;
      this.noteProgress(checkpoint);
      await this.pause(this.timing.pollMs);
    }
  }

  /**
   * Compares the replayed outputs after the last compared position up to `upTo` (handled by the runtime, so
   * final), a page at a time, and lists the fields of the changed ones.
   */
  private async compareUpTo(view: EventStore, upTo: number, stoppable = true): Promise<void> {
    while (this.compared < upTo) {
      if (stoppable) this.checkStopped();
      // No more of the namespace's events lie in (compared, upTo] than positions: a page never reads far past it.
      const limit = Math.max(1, Math.min(READ_LIMIT.max, upTo - this.compared));
      const page = await view.read({ after: this.compared, limit });
      let passed = false;
      for (const e of page) {
        if (e.position > upTo) {
          passed = true;
          break;
        }
        this.comparer.replayed(e);
        this.compared = e.position;
      }
      if (passed || page.length < limit) {
        // Nothing else of the namespace lies at or below `upTo`: what comes later is appended beyond the runtime's checkpoint.
        if (Number.isFinite(upTo)) this.compared = upTo;
        break;
      }
    }
    for (const { change, replayed } of this.comparer.takeUnfilled()) {
      const original = await this.store.get(change.originalId);
      if (original) change.fields = outputChanges(original, replayed);
    }
    this.takeDiff();
  }

  private takeDiff(): void {
    const { summary, byNode, changes, truncated } = this.comparer.result();
    this.current.diff = summary;
    this.current.byNode = byNode;
    this.current.changes = changes;
    this.current.changesTruncated = truncated;
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
