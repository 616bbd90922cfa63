/**
 * Building the events a node derives: deterministic id, causation and correlation from the input, the clock of
 * the node's process after receiving the causes, and the hop count that guards cycles.
 */
import { newEventId } from './ids.js';
import type { VectorClock } from '../../shared/clock.js';
import { merge } from '../clocks.js';
import type { EventDraft, StoredEvent } from '../../shared/event.js';
import type { CompiledNode } from '../compiler/compile.js';
import { derivedEventId } from './ids.js';
import { nowText } from './now.js';
import type { Emit } from './node.js';
import type { ProcessClocks } from './process-clocks.js';

export const DEADLETTER_STREAM = '$deadletter';
export const DEADLETTER_TYPE = 'causeway.deadletter';
/** The port of dead letters: no wire leaves it, so they never flow back into the graph. */
export const DEADLETTER_PORT = '$deadletter';

export const hopsOf = (event: StoredEvent): number => {
  const hops = event.metadata.hops;
  return typeof hops === 'number' ? hops : 0;
};

/** The hop count of an event derived from `causes`: one more than the most any of them had. */
export const hopsAfter = (causes: readonly StoredEvent[]): number =>
  (causes.length === 1 ? hopsOf(causes[0]!) : Math.max(...causes.map(hopsOf))) + 1;

export interface DeriveContext {
  flowId: string;
  revision: number | null;
  node: CompiledNode;
  clocks: ProcessClocks;
  /** The node's source URI, `causeway://flows/<flowId>/nodes/<nodeId>`: written once, shared by its events. */
  source: string;
  /** The node's default stream, `flow/<flowId>/<nodeId>`. */
  stream: string;
  /** The partition of the run, when its flow is split (partitions.ts): every event derived here carries it. */
  partition?: number;
}

/** The context a node's events are derived in. */
export function deriveContext(flowId: string, revision: number | null, node: CompiledNode, clocks: ProcessClocks, partition?: number): DeriveContext {
  return {
    flowId,
    revision,
    node,
    clocks,
    source: `causeway://flows/${flowId}/nodes/${node.id}`,
    stream: `flow/${flowId}/${node.id}`,
    ...(partition === undefined ? {} : { partition }),
  };
}

/** The metadata every event of the context carries besides its own: its partition, when the flow is split. */
const marks = (ctx: DeriveContext): { partition?: number } => (ctx.partition === undefined ? {} : { partition: ctx.partition });

/**
 * The drafts for one input's emissions. `causes` are the events it stems from (the input, or a batch's
 * events); the first of them is the causation of record.
 */
export function deriveDrafts(
  ctx: DeriveContext,
  input: StoredEvent,
  arrival: string,
  emits: Emit[],
  causes: StoredEvent[] = [input],
  hops = hopsAfter(causes),
): EventDraft[] {
  if (emits.length === 0) return [];
  const received = causes.length === 1 ? causes[0]!.vectorClock : causes.reduce<VectorClock>((clock, e) => merge(clock, e.vectorClock), {});
  const time = nowText();
  return emits.map((emit, index) => {
    const vectorClock = index === 0 ? ctx.clocks.receive(ctx.node.process, received) : ctx.clocks.local(ctx.node.process);
    return {
      id: derivedEventId(ctx.flowId, ctx.node.id, input, `${arrival}:${index}`),
      type: emit.type,
      source: ctx.source,
      time,
      subject: emit.subject === undefined ? input.subject : emit.subject,
      datacontenttype: 'application/json',
      data: emit.data,
      stream: emit.stream ?? ctx.stream,
      ...(emit.expectedVersion !== undefined ? { expectedVersion: emit.expectedVersion } : {}),
      process: ctx.node.process,
      vectorClock,
      correlationId: input.correlationId,
      causationId: input.id,
      flowId: ctx.flowId,
      nodeId: ctx.node.id,
      revision: ctx.revision,
      metadata: causes.length > 1 ? { port: emit.port ?? 'out', hops, causes: causes.map((c) => c.id), ...marks(ctx) } : { port: emit.port ?? 'out', hops, ...marks(ctx) },
    };
  });
}

export interface Failure {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** The dead letter for an input a node failed on: the error and the event, in `$deadletter`. */
export function deadLetterDraft(ctx: DeriveContext, input: StoredEvent, arrival: string, failure: Failure): EventDraft {
  return {
    id: derivedEventId(ctx.flowId, ctx.node.id, input, `${arrival}:deadletter`),
    type: DEADLETTER_TYPE,
    source: ctx.source,
    time: nowText(),
    subject: input.id,
    datacontenttype: 'application/json',
    data: {
      error: { code: failure.code, message: failure.message, ...(failure.details ? { details: failure.details } : {}) },
      node: { id: ctx.node.id, type: ctx.node.type, name: ctx.node.name },
      event: input,
    },
    stream: DEADLETTER_STREAM,
    process: ctx.node.process,
    vectorClock: ctx.clocks.receive(ctx.node.process, input.vectorClock),
    correlationId: input.correlationId,
    causationId: input.id,
    flowId: ctx.flowId,
    nodeId: ctx.node.id,
    revision: ctx.revision,
    metadata: { port: DEADLETTER_PORT, hops: hopsOf(input) + 1, ...marks(ctx) },
  };
}

/**
 * The dead letter of an input a source could not turn into a stored event (an MQTT message the store refuses): no
 * event caused it, so it starts a chain of its own, and it carries what the source says of the input.
 */
export function rejectedInputDraft(ctx: DeriveContext, failure: Failure, input: Record<string, unknown>): EventDraft {
  const id = newEventId();
  return {
    id,
    type: DEADLETTER_TYPE,
    source: ctx.source,
    time: nowText(),
    subject: null,
    datacontenttype: 'application/json',
    data: {
      error: { code: failure.code, message: failure.message, ...(failure.details ? { details: failure.details } : {}) },
      node: { id: ctx.node.id, type: ctx.node.type, name: ctx.node.name },
      input,
    },
    stream: DEADLETTER_STREAM,
    process: ctx.node.process,
    vectorClock: ctx.clocks.local(ctx.node.process),
    correlationId: id,
    causationId: null,
    flowId: ctx.flowId,
    nodeId: ctx.node.id,
    revision: ctx.revision,
    metadata: { port: DEADLETTER_PORT, hops: 0, ...marks(ctx) },
  };
}
