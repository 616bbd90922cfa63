/**
 * One node of a running flow, for as long as the run lasts: its mailbox, its work loop and its counters. The loop
 * takes up to `batchSize` inputs at a time (256 by default), hands them to the node (one by one through `handle`, or all at once through
 * `handleBatch`), forwards what passes on, and makes one append call per batch for the events they derive and the
 * dead letters of those that failed. An input is released from the progress only once its events are committed,
 * so the checkpoint never passes an input whose events could still be lost. Inputs reach a node in arrival order
 * and its appends commit in the order they are made.
 */
import type { NodeCounters } from '../../shared/api/flows.js';
import type { StoredEvent } from '../../shared/event.js';
import type { CompiledNode } from '../compiler/compile.js';
import type { AppendResult, EventStore } from '../store/index.js';
import { appendByInput } from './batch-append.js';
import { deadLetterDraft, type DeriveContext } from './derive.js';
import { failureOf } from './failures.js';
import { draftsOf, type DraftLimits, type Emission } from './input-drafts.js';
import { Mailbox } from './mailbox.js';
import { NodeFailure, type BatchAnswer, type HandleIO, type NodeHandler, type Output } from './node.js';
import { NodeTraffic, wireCounters } from './node-traffic.js';
import type { Progress } from './progress.js';
import type { Delivery } from './routes.js';

/** The wire type, defined once in shared/api. */
export type { NodeCounters };

/** What a node's work needs of its flow, the same for every node of a run. */
export interface WorkContext {
  store: Pick<EventStore, 'append'>;
  progress: Progress;
  limits: DraftLimits;
  /** Inputs at or below it were handled before this start. */
  resumeFrom: number;
  /** Passes an event on from a node's port; a promise only while a mailbox is full. */
  deliver(producer: string, port: string, event: StoredEvent): Promise<void> | undefined;
  debug(nodeId: string, event: StoredEvent): void;
  /** Events the node appended (derived ones and dead letters), once committed. */
  appended(events: StoredEvent[]): void;
  /** The store refused the node's events for good: the flow holds its checkpoint until restarted. */
  stalled(nodeId: string, error: unknown): void;
}

const NO_OUTPUTS: readonly Output[] = [];

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

export class NodeWorker {
  readonly mailbox: Mailbox<Delivery>;
  /** In, out and errors: totals, seeded at start from those saved by earlier runs (counter-totals.ts). */
  readonly counters: NodeCounters = { in: 0, out: 0, errors: 0, queued: 0 };
  readonly traffic = new NodeTraffic();
  handledSinceSnapshot = 0;
  private loop: Promise<void> | undefined;
  /** Inputs taken from the mailbox at once. */
  private readonly batchSize: number;

  constructor(
    readonly node: CompiledNode,
    readonly handler: NodeHandler,
    /** What the node's events are derived with. */
    readonly ctx: DeriveContext,
    bounds: { capacity: number; batchSize: number },
    private readonly flow: WorkContext,
  ) {
    this.mailbox = new Mailbox(bounds.capacity);
    this.batchSize = bounds.batchSize;
  }

  /** Its counters as the status shows them. */
  countersNow(): NodeCounters {
    return wireCounters(this.counters, this.mailbox.size, this.traffic, this.handler.liveKeys?.());
  }

  /** Starts the work loop of a node that takes input. */
  start(): void {
    if (this.handler.handle || this.handler.handleBatch) this.loop = this.work();
  }

  /** Takes no more input; resolves once what the mailbox held is handled and committed. */
  async finish(): Promise<void> {
    this.mailbox.close();
    await this.loop;
  }

  private async work(): Promise<void> {
    // A node that needs nothing of its own commits (no `committed` hook, no state to snapshot) handles its next
    // batch while the previous batch's events are committed: the event loop and the store's writer work side by
    // side. One batch at most is under way, and appends commit in the order made.
    const { handler } = this;
    const pipelined = !handler.committed && !handler.snapshot;
    let committing: Promise<void> | undefined;
    for (;;) {
      const batch = await this.mailbox.take(this.batchSize);
      if (batch === null) break;
      let committed: Promise<void>;
      try {
        committed = (await this.handleBatch(batch)).committed.catch((error: unknown) => this.stalled(batch, error));
      } catch (error) {
        this.stalled(batch, error);
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
  private stalled(batch: Delivery[], error: unknown): void {
    this.counters.errors += batch.length;
    this.flow.stalled(this.node.id, error);
  }

  /**
   * Handles a batch and makes the one append call for its events; resolves once that call is made, with the
   * promise of its commit (after which the batch's inputs are released).
   */
  private async handleBatch(batch: Delivery[]): Promise<{ committed: Promise<void> }> {
    const pending: Emission[] = [];
    const held = new Set<Delivery>();
    this.traffic.took(batch);
    const hooks: InputHooks = {
      hold: (delivery) => {
        held.add(delivery);
        return (outputs, causes) => this.release(delivery, outputs, causes);
      },
      debug: (e) => this.flow.debug(this.node.id, e),
    };

    if (this.handler.handleBatch) await this.handleAtOnce(batch, pending);
    else await this.handleEach(batch, pending, hooks);

    const { progress } = this.flow;
    const committed = this.appendAll(pending).then(() => {
      for (const { delivery } of pending) if (!held.has(delivery)) progress.release(delivery.event.position);
    });
    return { committed };
  }

  /** A batch through a node's `handle`, one input at a time, in order. */
  private async handleEach(batch: Delivery[], pending: Emission[], hooks: InputHooks): Promise<void> {
    const { handler, counters } = this;
    for (let i = 0; i < batch.length; i++) {
      const delivery = batch[i]!;
      const { event } = delivery;
      counters.in++;
      const io = new InputIO(delivery, hooks);
      try {
        if (this.handledBefore(event)) {
          pending.push({ delivery, outputs: NO_OUTPUTS, causes: null });
          continue;
        }
        // Handlers mostly answer at once: a value that is not a promise is used without a turn of the queue.
        const result = handler.handle!(event, io);
        const outputs = result instanceof Promise ? await result : result;
        if (io.held) continue;
        const forwarding = this.forward(delivery.event, outputs);
        if (forwarding) await forwarding;
        pending.push({ delivery, outputs, causes: null });
      } catch (error) {
        counters.errors++;
        pending.push({ delivery, failure: failureOf(error) });
      }
      if (handler.snapshot) this.handledSinceSnapshot++;
    }
  }

  /**
   * A batch through a node that takes it whole (user code in a thread): one call for the inputs it has not handled
   * before this start, then each answer in order, forwarded or dead-lettered.
   */
  private async handleAtOnce(batch: Delivery[], pending: Emission[]): Promise<void> {
    const { handler, counters } = this;
    const fresh: Delivery[] = [];
    for (let i = 0; i < batch.length; i++) {
      const delivery = batch[i]!;
      counters.in++;
      if (this.handledBefore(delivery.event)) {
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
      if (handler.snapshot) this.handledSinceSnapshot++;
      if (answer instanceof NodeFailure) {
        counters.errors++;
        pending.push({ delivery, failure: failureOf(answer) });
        continue;
      }
      const forwarding = this.forward(delivery.event, answer);
      if (forwarding) await forwarding;
      pending.push({ delivery, outputs: answer, causes: null });
    }
  }

  /** An outside event entered the flow by this node (an http source, which the flow routes for): in and passed on. */
  entered(event: StoredEvent): void {
    this.counters.in++;
    this.counters.out++;
    this.traffic.entered(event);
  }

  /** Passes the event on by the ports its `forward` outputs name; a promise only while a mailbox is full. */
  private forward(event: StoredEvent, outputs: readonly Output[]): Promise<void> | undefined {
    for (let i = 0; i < outputs.length; i++) {
      const output = outputs[i]!;
      if (output.kind !== 'forward') continue;
      this.counters.out++;
      this.traffic.sent(event);
      const waiting = this.flow.deliver(this.node.id, output.port, event);
      if (waiting) return waiting.then(() => this.forward(event, outputs.slice(i + 1)));
    }
    return undefined;
  }

  /** A held input (batch) completes: its outputs are appended, then it is released. */
  private async release(delivery: Delivery, outputs: Output[], causes: StoredEvent[]): Promise<void> {
    try {
      await this.forward(delivery.event, outputs);
      await this.appendAll([{ delivery, outputs, causes: causes.length > 0 ? causes : null }]);
    } finally {
      this.flow.progress.release(delivery.event.position);
    }
  }

  /** One append for the inputs' events, their drafts built (and stamped) in the same turn as the call. */
  private async appendAll(pending: Emission[]): Promise<void> {
    const { ctx, counters, flow } = this;
    const perInput = pending.map((emission) => draftsOf(ctx, emission, flow.limits, counters));
    await appendByInput(
      flow.store,
      perInput,
      (index, failure) => {
        counters.errors++;
        const { delivery } = pending[index]!;
        return deadLetterDraft(ctx, delivery.event, delivery.arrival, failure);
      },
      (results) => this.appended(results),
    );
  }

  private appended(results: AppendResult[]): void {
    const events = results.map((r) => r.event);
    for (const e of events) {
      if (e.stream === '$deadletter') continue;
      this.counters.out++;
      this.traffic.sent(e);
      this.handler.committed?.(e);
    }
    if (events.length > 0) this.traffic.lastAt = Date.now();
    this.flow.appended(events);
  }

  /**
   * After a restart: emitting and consuming nodes skip what they handled before this start. Forward nodes pass it on
   * again (to actors downstream), and a node with state decides for itself (an actor skips what its snapshot holds).
   */
  private handledBefore(event: StoredEvent): boolean {
    return this.node.behaviour !== 'forward' && !this.handler.snapshot && event.position <= this.flow.resumeFrom;
  }
}
