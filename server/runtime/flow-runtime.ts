/**
 * One deployed flow revision, running. The store is its log: the runtime subscribes from its checkpoint and
 * routes every event that concerns the flow — events published to its http sources, events its own sources
 * produced, events its nodes derived — to the nodes wired after the producer. Pass-through nodes forward in
 * memory; every emitted event is appended first and reaches its consumers through the log. Recovery after a
 * crash is therefore the same path as normal operation: catch up from the checkpoint, with derived ids that make
 * re-emission a no-op.
 *
 * This class sequences a run — start, dispatch, drain — and keeps what lives as long as the run. The work is done
 * by the modules it names: `node-worker.ts` (each node's loop), `routes.ts` (where an event goes), `admission.ts`
 * (backpressure), `checkpoints.ts` (saving), `careful-mode.ts` (after runs that died), `log-follower.ts` (when a
 * drain is quiet), `node-handlers.ts` (handlers and their state) and `source-io.ts` (what sources see).
 */
import type { StoredEvent } from '../../shared/event.js';
import type { RuntimeGraph } from '../compiler/compile.js';
import type { EventStore, Subscription } from '../store/index.js';
import { Admission } from './admission.js';
import { CAREFUL_WAIT_MS, CarefulMode, markCleared, markMoved, markStart, quarantineLetter } from './careful-mode.js';
import { checkpointKey, CheckpointSaver, savePlan } from './checkpoints.js';
import { CounterTotals } from './counter-totals.js';
import { deriveContext } from './derive.js';
import { LogFollower } from './log-follower.js';
import type { RecordedEffect } from './node.js';
import { startHandlers, type HandlerSetup } from './node-handlers.js';
import type { NodeTraffic } from '../../shared/api/flows.js';
import { NodeWorker, type NodeCounters, type WorkContext } from './node-worker.js';
import type { ProcessClocks } from './process-clocks.js';
import { PartitionFilter, runKeyOf, type PartitionSpec } from './partitions.js';
import { Progress } from './progress.js';
import { withRetries } from './retries.js';
import { NO_ENTRIES, Routes, type Entry } from './routes.js';
import { sourceIO, type SourceHost } from './source-io.js';
import { sharedUserCodePool, type UserCodePool } from './user-code/pool.js';

export interface DebugMessage {
  flowId: string;
  nodeId: string;
  event: StoredEvent;
}

/** `keyOrigin`: replays start actor keys from the state they had (key-origin.ts). */
export interface FlowRuntimeOptions extends Pick<HandlerSetup, 'keyOrigin'> {
  store: EventStore;
  clocks: ProcessClocks;
  /** Per-node mailbox size. */
  queueCapacity?: number;
  /** The most inputs a node takes from its mailbox at once. Default 256. */
  batchSize?: number;
  /** How far (in positions) the flow may fall behind the store before its sources are held back. */
  maxLag?: number;
  checkpointIntervalMs?: number;
  onDebug?: (message: DebugMessage) => void;
  onAppended?: (events: StoredEvent[]) => void;
  /** Told once of each event a port passes on (entering, forwarded, derived, dead letter at `$deadletter`): flow tests. */
  onDeliver?: (producer: string, port: string, event: StoredEvent) => void;
  /** Dry-run: sinks with side effects record what they would have done here instead of doing it. */
  recordEffect?: (effect: RecordedEffect) => void;
  /** Where the nodes' user code runs; default one pool shared by the process. */
  userCode?: UserCodePool;
  /** The most events one input may derive at a node; beyond it the input is dead-lettered. Default 1,000. */
  maxDerivedPerInput?: number;
  /** The partition this run handles, when a cluster splits the flow (partitions.ts); sources run in partition 0. */
  partition?: PartitionSpec;
  /** Keys an actor node keeps in memory at most (passivating the least recently used). Default: no bound. */
  maxLiveKeys?: number;
  log?: (message: string, details?: Record<string, unknown>) => void;
}

/** `frozen`: an outside input arrived while draining; dispatch stopped there, and it belongs to the next start. */
type Phase = 'stopped' | 'running' | 'draining' | 'frozen';

export class FlowRuntime {
  readonly flowId: string;
  /** What this run stores its checkpoint, marks and snapshots under. */
  readonly runKey: string;
  readonly revision: number | null;
  /** Set when a node could not store its events: the flow holds its checkpoint until restarted. */
  failed: string | null = null;
  private phase: Phase = 'stopped';
  private readonly workers = new Map<string, NodeWorker>();
  private readonly admission: Admission;
  /** Source appends in flight: a drain waits for them, so what a source had acknowledged is handled too. */
  private readonly producing = new Set<Promise<unknown>>();
  private progress = new Progress(0);
  /** Inputs at or below it were handled before this start: only forward nodes and actors look at them again. */
  private resumeFrom = 0;
  private careful = CarefulMode.after(0, 0);
  private follower = new LogFollower(0);
  // Set by start: a run has them from its start to its end.
  private routes!: Routes;
  private saver!: CheckpointSaver;
  private totals!: CounterTotals;
  private subscription: Subscription | undefined;
  private dispatching: Promise<void> = Promise.resolve();
  /** Set when the flow is split: which events are this run's. */
  private partitions: PartitionFilter | null = null;

  constructor(
    readonly graph: RuntimeGraph,
    private readonly options: FlowRuntimeOptions,
  ) {
    if (!graph.flowId) throw new Error('a deployed flow needs an id');
    this.flowId = graph.flowId;
    this.runKey = runKeyOf(graph.flowId, options.partition);
    this.revision = graph.revision;
    this.admission = new Admission(options.maxLag ?? 10_000, () => this.progress.checkpoint, () => this.running);
  }

  private get running(): boolean {
    return this.phase === 'running' || this.phase === 'draining' || this.phase === 'frozen';
  }

  get state(): 'running' | 'stopped' { return this.running ? 'running' : 'stopped'; }

  get checkpoint(): number { return this.progress.checkpoint; }

  counters(): Record<string, NodeCounters> { return Object.fromEntries([...this.workers].map(([id, w]) => [id, w.countersNow()])); }

  /** The last events a node of this run took in and sent out; null for a node it does not have. */
  traffic(nodeId: string): NodeTraffic | null { return this.workers.get(nodeId)?.traffic.recent() ?? null; }

  /** Whether input must wait: the flow is more than `maxLag` positions behind the store. */
  get behind(): boolean { return this.admission.behind; }

  /** Waits while the flow is more than `maxLag` positions behind the store. */
  admit(): Promise<void> { return this.admission.admit(); }

  /** The store head moved (any append in this process): lets waiting sources re-check the lag. */
  noteHead(position: number): void { this.admission.noteHead(position); }

  async start(): Promise<void> {
    const { store, clocks } = this.options;
    const saved = await store.getCheckpoint(checkpointKey(this.runKey));
    const head = await store.head();
    this.admission.noteHead(head);
    this.resumeFrom = saved ?? head;
    if (saved === null) await store.setCheckpoints({ [checkpointKey(this.runKey)]: this.resumeFrom });
    this.saver = new CheckpointSaver(store, this.runKey, this.resumeFrom);
    const crashes = await markStart(store, this.runKey, this.resumeFrom);
    this.careful = CarefulMode.after(crashes, head);
    if (crashes > 0) this.log('the previous run stopped without draining: handling what it left one input at a time', { checkpoint: this.resumeFrom, crashes });

    const userCode = this.options.userCode ?? sharedUserCodePool();
    const { handlers, scanFrom } = await startHandlers(this.graph, this.flowId, this.resumeFrom, { ...this.options, userCode }, this.runKey);
    const { partition } = this.options;
    if (partition && partition.count > 1) this.partitions = new PartitionFilter(this.graph, partition, userCode);
    this.progress = new Progress(scanFrom);
    this.follower = new LogFollower(scanFrom);
    const routes = (this.routes = new Routes(this.graph, this.workers, this.progress, this.options.onDeliver));
    const work: WorkContext = {
      store,
      progress: this.progress,
      limits: { maxDerivedPerInput: this.options.maxDerivedPerInput ?? 1_000, hopLimit: this.graph.hopLimit },
      resumeFrom: this.resumeFrom,
      deliver: (producer, port, event) => routes.deliverFrom(producer, port, event),
      debug: (nodeId, event) => this.options.onDebug?.({ flowId: this.flowId, nodeId, event }),
      appended: (events) => this.noteOwnAppend(events),
      stalled: (nodeId, error) => {
        this.failed = String(error);
        this.log('node stalled: the store refused its events', { nodeId, error: String(error) });
      },
    };
    for (const [node, handler] of handlers) {
      const ctx = deriveContext(this.flowId, this.revision, node, clocks, this.partitions ? partition!.index : undefined);
      this.workers.set(node.id, new NodeWorker(node, handler, ctx, { capacity: this.options.queueCapacity ?? 1024, batchSize: this.options.batchSize ?? 256 }, work));
    }
    await (this.totals = new CounterTotals(store, this.runKey)).restore(this.workers);

    this.phase = 'running';
    for (const worker of this.workers.values()) worker.start();
    this.subscription = store.subscribe({
      after: scanFrom,
      onEvents: (events) => (this.dispatching = this.dispatch(events)),
      onError: (error) => this.log('subscription failed', { error: String(error) }),
    });
    this.saver.every(this.options.checkpointIntervalMs ?? 200, () => this.persist(), (e) => this.log('checkpoint failed', { error: String(e) }));
    // Sources that produce (timers, simulators, MQTT subscriptions) run once per flow: in its first partition.
    if ((partition?.index ?? 0) !== 0) return;
    const host: SourceHost = { store, clocks, producing: this.producing, running: () => this.running, admit: () => this.admit(), log: (m, d) => this.log(m, d), appended: (e) => this.noteOwnAppend(e) };
    for (const worker of this.workers.values()) {
      if (worker.handler.start) await worker.handler.start(sourceIO(worker, host));
    }
  }

  /**
   * Stops taking input, finishes everything in flight — including the chains its own derived events start —
   * and records the checkpoint: a revision started after this resumes exactly where this one stopped.
   */
  async drain(): Promise<void> {
    if (!this.running) return;
    if (this.phase === 'running') this.phase = 'draining';
    this.admission.wakeAll();
    for (const w of this.workers.values()) if (w.handler.start) await w.handler.stop?.();
    await this.follower.settle({
      flush: async () => {
        for (const w of this.workers.values()) await w.handler.flush?.();
      },
      failed: () => this.failed !== null,
      inFlight: async () => {
        await Promise.allSettled([...this.producing]);
        await this.progress.idle();
      },
      frozen: () => this.phase === 'frozen',
      log: (message, details) => this.log(message, details),
    });
    this.phase = 'stopped';
    this.subscription?.close();
    await this.dispatching;
    await Promise.all([...this.workers.values()].map((w) => w.finish()));
    this.saver.stop();
    try { // refused (`fenced`) once the partition's lease was taken: the run stops all the same, its crash mark left set
      await this.persist(true);
      if (this.failed === null) await this.options.store.setCheckpoints(markCleared(this.runKey));
    } finally {
      this.partitions?.release();
      for (const w of this.workers.values()) if (!w.handler.start) await w.handler.stop?.();
    }
  }

  private async dispatch(events: StoredEvent[]): Promise<void> {
    const { routes } = this;
    const others = this.partitions ? await this.partitions.othersAmong(events, (event) => routes.entriesFor(event).length > 0) : null;
    // Indexed loops: an iterator kept across an await is allocated, with a result object per step.
    for (let e = 0; e < events.length; e++) {
      const event = events[e]!;
      if (this.phase !== 'running' && this.phase !== 'draining') break;
      this.admission.noteHead(event.position);
      const entries = others?.has(event.position) ? NO_ENTRIES : routes.entriesFor(event);
      if (this.phase === 'draining' && event.flowId !== this.flowId && entries.length > 0) {
        this.phase = 'frozen';
        break;
      }
      if (event.flowId !== this.flowId) for (let i = 0; i < entries.length; i++) this.workers.get(entries[i]!.producer)?.entered(event);
      if (entries.length > 0 && this.careful.covers(event.position, this.resumeFrom)) {
        await this.dispatchCarefully(event, entries);
      } else {
        this.progress.hold(event.position);
        try {
          for (let i = 0; i < entries.length; i++) {
            const waiting = routes.deliverFrom(entries[i]!.producer, entries[i]!.port, event);
            if (waiting) await waiting;
          }
        } finally {
          this.progress.release(event.position);
        }
      }
      this.follower.dispatched(event.position);
    }
    this.follower.wake();
    this.admission.wake();
  }

  /**
   * An input the last run may have died on: the first after the checkpoint is set aside if runs died there twice;
   * any other is handled alone and the checkpoint saved after it (a batch that holds inputs is not waited for long).
   */
  private async dispatchCarefully(event: StoredEvent, entries: readonly Entry[]): Promise<void> {
    this.progress.hold(event.position);
    try {
      if (this.careful.takeQuarantine()) {
        await this.setAside(event, entries[0]!);
        return;
      }
      for (let i = 0; i < entries.length; i++) {
        const waiting = this.routes.deliverFrom(entries[i]!.producer, entries[i]!.port, event);
        if (waiting) await waiting;
      }
    } finally {
      this.progress.release(event.position);
    }
    await Promise.race([this.progress.idle(), new Promise((resolve) => setTimeout(resolve, CAREFUL_WAIT_MS))]);
    await this.persist();
    await this.options.store.setCheckpoints(markMoved(this.runKey, this.saver.saved));
  }

  /** Quarantine: the input goes to the dead letters, from the node it entered by, and is not handled. */
  private async setAside(event: StoredEvent, entry: Entry): Promise<void> {
    const worker = this.workers.get(entry.producer)!;
    worker.counters.errors++;
    this.log('input quarantined', { nodeId: entry.producer, eventId: event.id, position: event.position });
    this.noteOwnAppend((await withRetries(() => this.options.store.append([quarantineLetter(worker.ctx, event)]))).map((r) => r.event));
  }

  private async persist(final = false): Promise<void> {
    const standing = { progress: this.progress.checkpoint, resumeFrom: this.resumeFrom, saved: this.saver.saved };
    await this.saver.carryOut(savePlan(this.runKey, this.workers.values(), standing, final));
    await this.totals.save(this.workers, this.saver.saved, final);
    this.admission.wake();
  }

  /** Events this flow's nodes appended: a drain waits for the log to bring them back. */
  private noteOwnAppend(events: StoredEvent[]): void {
    this.admission.noteHead(this.follower.appended(events));
    this.options.onAppended?.(events);
  }

  private log(message: string, details: Record<string, unknown> = {}): void {
    this.options.log?.(message, { flowId: this.flowId, ...(this.runKey === this.flowId ? {} : { run: this.runKey }), ...details });
  }
}
