/**
 * One deployed flow revision, running. The store is its log: the runtime subscribes from its checkpoint and
 * routes every event that concerns the flow — events published to its http sources, events its own sources
 * produced, events its nodes derived — to the nodes wired after the producer. Pass-through nodes forward in
 * memory; every emitted event is appended first and reaches its consumers through the log. Recovery after a
 * crash is therefore the same path as normal operation: catch up from the checkpoint, with derived ids that make
 * re-emission a no-op.
 */
import type { EventDraft, StoredEvent } from '../../shared/event.js';
import { typeMatches } from '../../shared/event.js';
import type { CompiledNode, RuntimeGraph } from '../compiler/compile.js';
import type { EventStore, Subscription } from '../store/types.js';
import { isStoreError } from '../store/types.js';
import { deadLetterDraft, deriveContext, deriveDrafts, hopsAfter, rejectedInputDraft, type DeriveContext, type Failure } from './derive.js';
import { Mailbox } from './mailbox.js';
import { NodeFailure, type BatchAnswer, type Emit, type HandleIO, type NodeHandler, type Output, type Produced, type RecordedEffect, type SourceIO } from './node.js';
import { NODE_RUNTIMES } from './nodes/index.js';
import type { ProcessClocks } from './process-clocks.js';
import { Progress } from './progress.js';
import { producedDraft, stampAndAppend, type Stamp } from './stamp.js';
import { sharedUserCodePool, type UserCodePool } from './user-code/pool.js';

export interface NodeCounters {
  in: number;
  out: number;
  errors: number;
  queued: number;
}

export interface DebugMessage {
  flowId: string;
  nodeId: string;
  event: StoredEvent;
}

export interface FlowRuntimeOptions {
  store: EventStore;
  clocks: ProcessClocks;
  /** Per-node mailbox size. */
  queueCapacity?: number;
  /** How far (in positions) the flow may fall behind the store before its sources are held back. */
  maxLag?: number;
  checkpointIntervalMs?: number;
  onDebug?: (message: DebugMessage) => void;
  onAppended?: (events: StoredEvent[]) => void;
  /** Dry-run: sinks with side effects record what they would have done here instead of doing it. */
  recordEffect?: (effect: RecordedEffect) => void;
  /** Where the nodes' user code runs; default one pool shared by the process. */
  userCode?: UserCodePool;
  /** The most events one input may derive at a node; beyond it the input is dead-lettered. Default 1,000. */
  maxDerivedPerInput?: number;
  log?: (message: string, details?: Record<string, unknown>) => void;
}

interface Delivery {
  event: StoredEvent;
  /** The edge it arrived by: part of derived ids, so two paths into one node derive distinct events. */
  arrival: string;
}

interface RunningNode {
  node: CompiledNode;
  handler: NodeHandler;
  /** What the node's events are derived with. */
  ctx: DeriveContext;
  mailbox: Mailbox<Delivery>;
  counters: NodeCounters;
  worker?: Promise<void>;
  handledSinceSnapshot: number;
}

/** Where an event enters the flow: as an output of this producer's port. */
interface Entry {
  producer: string;
  port: string;
}

const NO_ENTRIES: readonly Entry[] = [];
/** The drafts of an input that emits nothing: most inputs of filters, routers and sinks. */
const NO_DRAFTS: readonly EventDraft[] = [];
const NO_OUTPUTS: readonly Output[] = [];

/**
 * What an input leaves to append: the outputs it emits (from `causes`, or from the input itself when null), or the
 * failure to send to the dead letters. Its drafts are built, and stamped with the clock of the node's process, only
 * when their append call is made and in the same turn: whatever another producer on that process stamps while the
 * node works through its batch is appended before them, never after them with a lower counter.
 */
type Emission =
  | { delivery: Delivery; outputs: readonly Output[]; causes: StoredEvent[] | null }
  | { delivery: Delivery; failure: Failure };

/** Keys (event types for the http sources, ports per node) whose entries are kept at once. */
const MAX_CACHED_ENTRIES = 1024;

/** How long a careful dispatch waits for an input to be handled before it goes on (a batch may hold it). */
const CAREFUL_WAIT_MS = 1_000;

/** How long a drain waits for the log to bring back its own events while nothing arrives. */
const SETTLE_STALL_MS = 10_000;

/** What the inputs of one batch share: holding an input open, and the debug panel. */
interface InputHooks {
  hold(delivery: Delivery): (outputs: Output[], causes: StoredEvent[]) => Promise<void>;
  debug(event: StoredEvent): void;
}

/** The HandleIO of one input: one small object per input, its functions shared by the batch. */
class InputIO implements HandleIO {
  held = false;

  constructor(
    private readonly delivery: Delivery,
    private readonly hooks: InputHooks,
  ) {}

  hold(): (outputs: Output[], causes: StoredEvent[]) => Promise<void> {
    this.held = true;
    return this.hooks.hold(this.delivery);
  }

  debug(event: StoredEvent): void {
    this.hooks.debug(event);
  }
}

export const checkpointKey = (flowId: string) => `flow:${flowId}`;
/** The checkpoint a run started from, kept until it drains cleanly (-1 then): a run that dies leaves it behind. */
const startedAtKey = (flowId: string) => `flow:${flowId}:started-at`;
/** How many runs in a row ended without draining while the checkpoint stood where the last one started. */
const crashesKey = (flowId: string) => `flow:${flowId}:crashes`;

/** A run that ends without draining leaves the checkpoint it started from: this many at one checkpoint, and the input after it is set aside. */
const CRASHES_BEFORE_QUARANTINE = 2;
export const snapshotKey = (flowId: string, nodeId: string) => `actor:${flowId}:${nodeId}`;

export class FlowRuntime {
  readonly flowId: string;
  readonly revision: number | null;
  private readonly nodes = new Map<string, RunningNode>();
  private readonly httpSources: { id: string; types: string[] }[] = [];
  /** The http sources an event type enters by, per type seen lately (the answer is the same for every event). */
  private readonly entriesByType = new Map<string, Entry[]>();
  /** The ports events name, by node: a node has few (a router's rules), and past MAX_CACHED_ENTRIES none are kept. */
  private readonly entriesByPort = new Map<string, Map<string, readonly Entry[]>>();
  private progress = new Progress(0);
  /** Inputs at or below it were handled before this start: only forward nodes and actors look at them again. */
  private resumeFrom = 0;
  private subscription: Subscription | undefined;
  private dispatching: Promise<void> = Promise.resolve();
  private running = false;
  /** Set when a node could not store its events: the flow holds its checkpoint until restarted. */
  failed: string | null = null;
  private persistedCheckpoint = -1;
  private persistTimer: NodeJS.Timeout | undefined;
  private headPosition = 0;
  private lastDispatched = 0;
  private admitWaiters: (() => void)[] = [];
  /** Highest position this flow's own nodes appended: a drain waits until the log has brought it back. */
  private ownHead = 0;
  private draining = false;
  /** While draining, an outside input arrived: dispatching stops there and the next start picks it up. */
  private frozen = false;
  private dispatchWaiters: (() => void)[] = [];
  /** Source appends in flight: a drain waits for them, so what a source had acknowledged is handled too. */
  private readonly producing = new Set<Promise<unknown>>();
  private readonly queueCapacity: number;
  private readonly maxLag: number;
  private readonly maxDerivedPerInput: number;
  /**
   * After a run that died: inputs up to here (the head at start) are dispatched one at a time, the checkpoint saved
   * after each, so that if one of them kills the process again the checkpoint stands just before it.
   */
  private carefulUntil = 0;
  /** After two such runs: the first input after the checkpoint goes to the dead letters instead of the nodes. */
  private quarantine = false;

  constructor(
    private readonly graph: RuntimeGraph,
    private readonly options: FlowRuntimeOptions,
  ) {
    if (!graph.flowId) throw new Error('a deployed flow needs an id');
    this.flowId = graph.flowId;
    this.revision = graph.revision;
    this.queueCapacity = options.queueCapacity ?? 1024;
    this.maxLag = options.maxLag ?? 10_000;
    this.maxDerivedPerInput = options.maxDerivedPerInput ?? 1_000;
  }

  get state(): 'running' | 'stopped' {
    return this.running ? 'running' : 'stopped';
  }

  get checkpoint(): number {
    return this.progress.checkpoint;
  }

  counters(): Record<string, NodeCounters> {
    const out: Record<string, NodeCounters> = {};
    for (const [id, n] of this.nodes) out[id] = { ...n.counters, queued: n.mailbox.size };
    return out;
  }

  async start(): Promise<void> {
    const { store, clocks } = this.options;
    const saved = await store.getCheckpoint(checkpointKey(this.flowId));
    const head = await store.head();
    this.headPosition = head;
    this.resumeFrom = saved ?? head;
    if (saved === null) await store.setCheckpoints({ [checkpointKey(this.flowId)]: this.resumeFrom });
    this.persistedCheckpoint = this.resumeFrom;
    const crashes = await this.countCrashes(this.resumeFrom);
    if (crashes > 0) {
      this.carefulUntil = head;
      this.quarantine = crashes >= CRASHES_BEFORE_QUARANTINE;
      this.log('the previous run stopped without draining: handling what it left one input at a time', { checkpoint: this.resumeFrom, crashes });
    }

    let scanFrom = this.resumeFrom;
    for (const node of this.graph.nodes.values()) {
      const factory = NODE_RUNTIMES[node.type];
      if (!factory) throw new Error(`node type "${node.type}" cannot run in this runtime`);
      const { recordEffect } = this.options;
      const userCode = this.options.userCode ?? sharedUserCodePool();
      const handler = await factory({ node, flowId: this.flowId, userCode, ...(recordEffect ? { recordEffect } : {}) });
      if (handler.snapshot) {
        const snap = await store.loadSnapshot(snapshotKey(this.flowId, node.id));
        if (snap) {
          handler.restore?.(snap.state);
          scanFrom = Math.min(scanFrom, snap.position);
        } else {
          await store.saveSnapshot({ key: snapshotKey(this.flowId, node.id), state: handler.snapshot(), position: this.resumeFrom });
        }
      }
      await clocks.ensure(node.process);
      this.nodes.set(node.id, {
        node,
        handler,
        ctx: deriveContext(this.flowId, this.revision, node, clocks),
        mailbox: new Mailbox(this.queueCapacity),
        counters: { in: 0, out: 0, errors: 0, queued: 0 },
        handledSinceSnapshot: 0,
      });
      if (node.type === 'http') this.httpSources.push({ id: node.id, types: (node.config as { types: string[] }).types });
    }

    this.progress = new Progress(scanFrom);
    this.lastDispatched = scanFrom;
    this.running = true;
    for (const running of this.nodes.values()) {
      if (running.handler.handle || running.handler.handleBatch) running.worker = this.work(running);
    }
    this.subscription = store.subscribe({
      after: scanFrom,
      onEvents: (events) => (this.dispatching = this.dispatch(events)),
      onError: (error) => this.log('subscription failed', { error: String(error) }),
    });
    this.persistTimer = setInterval(() => void this.persist().catch((e) => this.log('checkpoint failed', { error: String(e) })), this.options.checkpointIntervalMs ?? 200);
    for (const running of this.nodes.values()) {
      if (running.handler.start) await running.handler.start(this.sourceIO(running));
    }
  }

  /**
   * Stops taking input, finishes everything in flight — including the chains its own derived events start —
   * and records the checkpoint: a revision started after this resumes exactly where this one stopped.
   */
  async drain(): Promise<void> {
    if (!this.running) return;
    this.draining = true;
    for (const w of this.admitWaiters.splice(0)) w();
    for (const n of this.nodes.values()) if (n.handler.start) await n.handler.stop?.();
    await this.settle();
    this.running = false;
    this.subscription?.close();
    await this.dispatching;
    for (const n of this.nodes.values()) n.mailbox.close();
    await Promise.all([...this.nodes.values()].map((n) => n.worker));
    clearInterval(this.persistTimer);
    await this.persist(true);
    if (this.failed === null) await this.options.store.setCheckpoints({ [startedAtKey(this.flowId)]: -1, [crashesKey(this.flowId)]: 0 });
    for (const n of this.nodes.values()) if (!n.handler.start) await n.handler.stop?.();
  }

  /**
   * Records that a run starts from `checkpoint`, and answers how many runs before it died there: the last run's
   * mark still standing means it never drained; at the same checkpoint it died without getting past an input.
   */
  private async countCrashes(checkpoint: number): Promise<number> {
    const { store } = this.options;
    const startedAt = await store.getCheckpoint(startedAtKey(this.flowId));
    const before = (await store.getCheckpoint(crashesKey(this.flowId))) ?? 0;
    const crashes = startedAt === null || startedAt < 0 ? 0 : startedAt === checkpoint ? before + 1 : 1;
    await store.setCheckpoints({ [startedAtKey(this.flowId)]: checkpoint, [crashesKey(this.flowId)]: crashes });
    return crashes;
  }

  /**
   * Until quiet: flush what nodes hold, wait for every held input, then for the log to bring back what this
   * flow appended meanwhile. Stops early at the first outside input that arrives while draining (`frozen`):
   * it and everything after it belong to the next start.
   */
  private async settle(): Promise<void> {
    let stalledSince = Date.now();
    for (;;) {
      for (const n of this.nodes.values()) await n.handler.flush?.();
      if (this.failed !== null) return;
      await Promise.allSettled([...this.producing]);
      await this.progress.idle();
      if (this.frozen || this.lastDispatched >= this.ownHead) return;
      const before = this.lastDispatched;
      await new Promise<void>((resolve) => {
        this.dispatchWaiters.push(resolve);
        setTimeout(resolve, 100);
      });
      if (this.lastDispatched !== before) stalledSince = Date.now();
      else if (Date.now() - stalledSince > SETTLE_STALL_MS) {
        // The log stopped delivering (the store failing?): stop here; the checkpoint leaves the rest to the next start.
        this.log('drain stopped waiting for the log', { dispatched: this.lastDispatched, appended: this.ownHead });
        return;
      }
    }
  }

  /** The store head moved (any append in this process): lets waiting sources re-check the lag. */
  noteHead(position: number): void {
    if (position > this.headPosition) this.headPosition = position;
  }

  private lag(): number {
    return Math.max(0, this.headPosition - this.progress.checkpoint);
  }

  private async dispatch(events: StoredEvent[]): Promise<void> {
    // Indexed loops: an iterator kept across an await is allocated, with a result object per step.
    for (let e = 0; e < events.length; e++) {
      const event = events[e]!;
      if (!this.running || this.frozen) break;
      this.noteHead(event.position);
      const entries = this.entriesFor(event);
      if (this.draining && event.flowId !== this.flowId && entries.length > 0) {
        this.frozen = true;
        break;
      }
      if (event.position <= this.carefulUntil && entries.length > 0 && event.position > this.resumeFrom) {
        await this.dispatchCarefully(event, entries);
        this.lastDispatched = event.position;
        continue;
      }
      this.progress.hold(event.position);
      try {
        for (let i = 0; i < entries.length; i++) {
          const entry = entries[i]!;
          const waiting = this.deliverFrom(entry.producer, entry.port, event);
          if (waiting) await waiting;
        }
      } finally {
        this.progress.release(event.position);
      }
      this.lastDispatched = event.position;
    }
    for (const w of this.dispatchWaiters.splice(0)) w();
    this.wakeAdmitted();
  }

  /**
   * An input the last run may have died on: the first after the checkpoint is set aside if runs died there twice;
   * any other is handled alone and the checkpoint saved after it (a batch that holds inputs is not waited for long).
   */
  private async dispatchCarefully(event: StoredEvent, entries: readonly Entry[]): Promise<void> {
    this.progress.hold(event.position);
    try {
      if (this.quarantine) {
        this.quarantine = false;
        await this.setAside(event, entries[0]!);
        return;
      }
      for (let i = 0; i < entries.length; i++) {
        const waiting = this.deliverFrom(entries[i]!.producer, entries[i]!.port, event);
        if (waiting) await waiting;
      }
    } finally {
      this.progress.release(event.position);
    }
    await Promise.race([this.progress.idle(), new Promise((resolve) => setTimeout(resolve, CAREFUL_WAIT_MS))]);
    await this.persist();
    // The run's mark moves with it: dying on the next input counts as dying where the last run died, as it is.
    await this.options.store.setCheckpoints({ [startedAtKey(this.flowId)]: this.persistedCheckpoint });
  }

  /** Quarantine: the input goes to the dead letters, from the node it entered by, and is not handled. */
  private async setAside(event: StoredEvent, entry: Entry): Promise<void> {
    const running = this.nodes.get(entry.producer)!;
    running.counters.errors++;
    const letter = deadLetterDraft(running.ctx, event, 'quarantine', {
      code: 'quarantined',
      message: `the process stopped twice in a row while this input was being handled; it was set aside so the flow could go on`,
    });
    this.log('input quarantined', { nodeId: entry.producer, eventId: event.id, position: event.position });
    this.noteOwnAppend((await withRetries(() => this.options.store.append([letter]))).map((r) => r.event));
  }

  /** Which producers' outputs an event is: its own node's port, or the http sources its type matches. */
  private entriesFor(event: StoredEvent): readonly Entry[] {
    if (event.flowId === this.flowId) {
      if (event.nodeId === null || !this.nodes.has(event.nodeId)) return NO_ENTRIES;
      const port = typeof event.metadata.port === 'string' ? event.metadata.port : 'out';
      return this.ownEntries(event.nodeId, port);
    }
    if (event.flowId !== null || event.nodeId !== null) return NO_ENTRIES;
    let entries = this.entriesByType.get(event.type);
    if (!entries) {
      entries = this.httpSources.filter((s) => s.types.some((t) => typeMatches(t, event.type))).map((s) => ({ producer: s.id, port: 'out' }));
      if (this.entriesByType.size >= MAX_CACHED_ENTRIES) this.entriesByType.clear();
      this.entriesByType.set(event.type, entries);
    }
    return entries;
  }

  /** The entry of a node's own port, one array per node and port (not one per event). */
  private ownEntries(nodeId: string, port: string): readonly Entry[] {
    let ports = this.entriesByPort.get(nodeId);
    if (!ports) this.entriesByPort.set(nodeId, (ports = new Map()));
    let entries = ports.get(port);
    if (!entries) {
      entries = [{ producer: nodeId, port }];
      if (ports.size < MAX_CACHED_ENTRIES) ports.set(port, entries);
    }
    return entries;
  }

  /**
   * Puts the event in the mailbox of every node wired after the producer's port. Returns a promise only when a
   * mailbox is full and the rest must wait for room (backpressure); mostly it is done at once.
   */
  private deliverFrom(producer: string, port: string, event: StoredEvent, fromWire = 0): Promise<void> | undefined {
    const wires = this.graph.outgoing.get(producer)?.get(port);
    if (!wires) return undefined;
    for (let i = fromWire; i < wires.length; i++) {
      const wire = wires[i]!;
      const target = this.nodes.get(wire.target);
      if (!target) continue;
      this.progress.hold(event.position);
      let waiting: Promise<void> | void;
      try {
        waiting = target.mailbox.push({ event, arrival: wire.edgeId });
      } catch {
        this.progress.release(event.position);
        continue;
      }
      if (waiting) {
        return waiting.then(
          () => this.deliverFrom(producer, port, event, i + 1),
          () => {
            this.progress.release(event.position);
            return this.deliverFrom(producer, port, event, i + 1);
          },
        );
      }
    }
    return undefined;
  }

  private async work(running: RunningNode): Promise<void> {
    // A node that needs nothing of its own commits (no `committed` hook, no state to snapshot) handles its next batch while the previous batch's events are committed: the event loop and the
    // store's writer work side by side. One batch at most is under way, and appends commit in the order made.
    const { handler } = running;
    const pipelined = !handler.committed && !handler.snapshot;
    let committing: Promise<void> | undefined;
    for (;;) {
      const batch = await running.mailbox.take(256);
      if (batch === null) break;
      let committed: Promise<void>;
      try {
        committed = (await this.handleBatch(running, batch)).committed.catch((error: unknown) => this.stalled(running, batch, error));
      } catch (error) {
        this.stalled(running, batch, error);
        continue;
      }
      await committing;
      committing = committed;
      if (!pipelined) await committing;
      // Handlers may be synchronous (the sandbox is): let timers and I/O run between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await committing;
  }

  /**
   * Only the store failing gets here, after retries. The inputs stay held: the checkpoint cannot pass them, so they
   * are handled again after a restart and nothing is lost.
   */
  private stalled(running: RunningNode, batch: Delivery[], error: unknown): void {
    this.failed = String(error);
    running.counters.errors += batch.length;
    this.log('node stalled: the store refused its events', { nodeId: running.node.id, error: String(error) });
  }

  /**
   * Handles a batch and makes the one append call for its events; resolves once that call is made, with the
   * promise of its commit (after which the batch's inputs are released).
   */
  private async handleBatch(running: RunningNode, batch: Delivery[]): Promise<{ committed: Promise<void> }> {
    const { node, handler } = running;
    const pending: Emission[] = [];
    const held = new Set<Delivery>();
    const hooks: InputHooks = {
      hold: (delivery) => {
        held.add(delivery);
        return (outputs, causes) => this.release(running, delivery, outputs, causes);
      },
      debug: (e) => this.options.onDebug?.({ flowId: this.flowId, nodeId: node.id, event: e }),
    };

    if (handler.handleBatch) await this.handleAtOnce(running, batch, pending);
    else await this.handleEach(running, batch, pending, hooks);

    const committed = this.appendAll(running, pending).then(() => {
      for (const { delivery } of pending) if (!held.has(delivery)) this.progress.release(delivery.event.position);
    });
    return { committed };
  }

  /** A batch through a node's `handle`, one input at a time, in order. */
  private async handleEach(running: RunningNode, batch: Delivery[], pending: Emission[], hooks: InputHooks): Promise<void> {
    const { handler, counters } = running;
    for (let i = 0; i < batch.length; i++) {
      const delivery = batch[i]!;
      const { event } = delivery;
      counters.in++;
      const io = new InputIO(delivery, hooks);
      try {
        if (this.handledBefore(running, event)) {
          pending.push({ delivery, outputs: NO_OUTPUTS, causes: null });
          continue;
        }
        // Handlers mostly answer at once: a value that is not a promise is used without a turn of the queue.
        const result = handler.handle!(event, io);
        const outputs = result instanceof Promise ? await result : result;
        if (io.held) continue;
        const forwarding = this.forward(running, delivery.event, outputs);
        if (forwarding) await forwarding;
        pending.push({ delivery, outputs, causes: null });
      } catch (error) {
        counters.errors++;
        pending.push({ delivery, failure: failureOf(error) });
      }
      if (handler.snapshot) running.handledSinceSnapshot++;
    }
  }

  /**
   * A batch through a node that takes it whole (user code in a thread): one call for the inputs it has not handled
   * before this start, then each answer in order, forwarded or dead-lettered.
   */
  private async handleAtOnce(running: RunningNode, batch: Delivery[], pending: Emission[]): Promise<void> {
    const { handler, counters } = running;
    const fresh: Delivery[] = [];
    for (let i = 0; i < batch.length; i++) {
      const delivery = batch[i]!;
      counters.in++;
      if (this.handledBefore(running, delivery.event)) {
        pending.push({ delivery, outputs: NO_OUTPUTS, causes: null });
      } else fresh.push(delivery);
    }
    if (fresh.length === 0) return;
    let answers: BatchAnswer[];
    try {
      const answering = handler.handleBatch!(fresh.map((d) => d.event));
      answers = answering instanceof Promise ? await answering : answering;
    } catch (error) {
      const failure = failureOf(error);
      answers = fresh.map(() => new NodeFailure(failure.code, failure.message, failure.details));
    }
    for (let i = 0; i < fresh.length; i++) {
      const delivery = fresh[i]!;
      const answer = answers[i]!;
      if (handler.snapshot) running.handledSinceSnapshot++;
      if (answer instanceof NodeFailure) {
        counters.errors++;
        pending.push({ delivery, failure: failureOf(answer) });
        continue;
      }
      const forwarding = this.forward(running, delivery.event, answer);
      if (forwarding) await forwarding;
      pending.push({ delivery, outputs: answer, causes: null });
    }
  }

  /** Passes the event on by the ports its `forward` outputs name; a promise only while a mailbox is full. */
  private forward(running: RunningNode, event: StoredEvent, outputs: readonly Output[]): Promise<void> | undefined {
    for (let i = 0; i < outputs.length; i++) {
      const output = outputs[i]!;
      if (output.kind !== 'forward') continue;
      running.counters.out++;
      const waiting = this.deliverFrom(running.node.id, output.port, event);
      if (waiting) return waiting.then(() => this.forward(running, event, outputs.slice(i + 1)));
    }
    return undefined;
  }

  /** An input's drafts: those of its `emit` outputs (or a dead letter past the hop limit), or its failure's dead letter. */
  private draftsOf(running: RunningNode, emission: Emission): readonly EventDraft[] {
    const { delivery } = emission;
    if ('failure' in emission) return [deadLetterDraft(running.ctx, delivery.event, delivery.arrival, emission.failure)];
    const emits = emission.outputs.filter((output): output is Emit => output.kind === 'emit');
    if (emits.length === 0) return NO_DRAFTS;
    const { ctx } = running;
    if (emits.length > this.maxDerivedPerInput) {
      running.counters.errors++;
      return [
        deadLetterDraft(ctx, delivery.event, delivery.arrival, {
          code: 'too_many_events',
          message: `the input derived ${emits.length} events, more than the limit of ${this.maxDerivedPerInput} per input`,
        }),
      ];
    }
    const causes = emission.causes ?? [delivery.event];
    const hops = hopsAfter(causes);
    if (hops > this.graph.hopLimit) {
      running.counters.errors++;
      return [
        deadLetterDraft(ctx, delivery.event, delivery.arrival, {
          code: 'hop_limit',
          message: `the correlation chain passed ${this.graph.hopLimit} hops (a cycle that does not end?)`,
        }),
      ];
    }
    return deriveDrafts(ctx, delivery.event, delivery.arrival, emits, causes, hops);
  }

  /** A held input (batch) completes: its outputs are appended, then it is released. */
  private async release(running: RunningNode, delivery: Delivery, outputs: Output[], causes: StoredEvent[]): Promise<void> {
    try {
      await this.forward(running, delivery.event, outputs);
      await this.appendAll(running, [{ delivery, outputs, causes: causes.length > 0 ? causes : null }]);
    } finally {
      this.progress.release(delivery.event.position);
    }
  }

  /**
   * One append for the whole batch, its drafts built (and stamped) in the same turn. If the store refuses an event
   * of it (a stated stream version conflicts, or the event is one it cannot store), the batch is retried input by
   * input and the refused input's events become a dead letter: one bad input never holds up the others.
   */
  private async appendAll(running: RunningNode, pending: Emission[]): Promise<void> {
    const perInput = pending.map((emission) => this.draftsOf(running, emission));
    const drafts = perInput.flat();
    if (drafts.length === 0) return;
    try {
      this.appended(running, await withRetries(() => this.options.store.append(drafts)));
    } catch (error) {
      if (!refusesOneInput(error) || pending.length === 0) throw error;
      for (let i = 0; i < pending.length; i++) {
        const own = perInput[i]!;
        if (own.length === 0) continue;
        try {
          this.appended(running, await this.options.store.append([...own]));
        } catch (inner) {
          if (!refusesOneInput(inner)) throw inner;
          running.counters.errors++;
          const { delivery } = pending[i]!;
          const letter = deadLetterDraft(running.ctx, delivery.event, delivery.arrival, failureOf(inner));
          this.appended(running, await this.options.store.append([letter]));
        }
      }
    }
  }

  private appended(running: RunningNode, results: { event: StoredEvent; duplicate: boolean }[]): void {
    const events = results.map((r) => r.event);
    for (const e of events) {
      if (e.stream === '$deadletter') continue;
      running.counters.out++;
      running.handler.committed?.(e);
    }
    this.noteOwnAppend(events);
  }

  private noteOwnAppend(events: StoredEvent[]): void {
    for (const e of events) if (e.position > this.ownHead) this.ownHead = e.position;
    this.noteHead(this.ownHead);
    this.options.onAppended?.(events);
  }

  /**
   * After a restart: emitting and consuming nodes skip what they handled before this start. Forward nodes pass it on
   * again (to actors downstream), and a node with state decides for itself (an actor skips what its snapshot holds).
   */
  private handledBefore(running: RunningNode, event: StoredEvent): boolean {
    return running.node.behaviour !== 'forward' && !running.handler.snapshot && event.position <= this.resumeFrom;
  }

  private sourceIO(running: RunningNode): SourceIO {
    const { node } = running;
    const isRunning = () => this.running;
    return {
      get running() {
        return isRunning();
      },
      admit: () => this.admit(),
      log: (message, details) => this.log(message, { nodeId: node.id, ...details }),
      reject: async (failure, input) => {
        const loading = this.options.clocks.ensure(node.process);
        if (loading) await loading;
        const letter = rejectedInputDraft(running.ctx, failure, input);
        running.counters.errors++;
        this.noteOwnAppend((await withRetries(() => this.options.store.append([letter]))).map((r) => r.event));
      },
      produce: async (items: Produced[]) => {
        const draftOf = (item: Produced, stamp: Stamp) => producedDraft(running.ctx, item, stamp);
        const results = await stampAndAppend(this.options.clocks, items, node.process, draftOf, (drafts) => {
          const appending = this.options.store.append(drafts);
          this.producing.add(appending);
          return appending.finally(() => this.producing.delete(appending));
        });
        const events = results.map((r) => r.event);
        running.counters.out += events.length;
        this.noteOwnAppend(events);
        return events;
      },
    };
  }

  /** Whether input must wait: the flow is more than `maxLag` positions behind the store. */
  get behind(): boolean {
    return this.running && this.lag() > this.maxLag;
  }

  /** Waits while the flow is more than `maxLag` positions behind the store. */
  async admit(): Promise<void> {
    while (this.behind) {
      await new Promise<void>((resolve) => {
        this.admitWaiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  private wakeAdmitted(): void {
    if (this.lag() <= this.maxLag) for (const w of this.admitWaiters.splice(0)) w();
  }

  private async persist(final = false): Promise<void> {
    const checkpoint = Math.max(this.progress.checkpoint, this.resumeFrom);
    const { store } = this.options;
    for (const running of this.nodes.values()) {
      const every = (running.node.config as { snapshotEvery?: number }).snapshotEvery ?? 100;
      if (running.handler.snapshot && (final || running.handledSinceSnapshot >= every)) {
        running.handledSinceSnapshot = 0;
        await store.saveSnapshot({ key: snapshotKey(this.flowId, running.node.id), state: running.handler.snapshot(), position: this.progress.checkpoint });
      }
    }
    if (checkpoint !== this.persistedCheckpoint) {
      await store.setCheckpoints({ [checkpointKey(this.flowId)]: checkpoint });
      this.persistedCheckpoint = checkpoint;
    }
    this.wakeAdmitted();
  }

  private log(message: string, details: Record<string, unknown> = {}): void {
    this.options.log?.(message, { flowId: this.flowId, ...details });
  }
}

/** A refusal that concerns the events of one input, not the store: retried input by input, the refused one dead-lettered. */
const refusesOneInput = (error: unknown): boolean => isStoreError(error, 'version_conflict') || isStoreError(error, 'invalid_event');

function failureOf(error: unknown): Failure {
  if (error instanceof NodeFailure) return { code: error.code, message: error.message, details: error.details };
  if (isStoreError(error)) return { code: error.code, message: error.message, details: error.details };
  return { code: 'node_error', message: error instanceof Error ? error.message : String(error) };
}

/** A store call retried with backoff: a busy disk or a dropped connection gets a few chances. */
async function withRetries<T>(call: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await call();
    } catch (error) {
      if (isStoreError(error) || i >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 50 * 2 ** i));
    }
  }
}
