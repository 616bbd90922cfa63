/**
 * What the sinks with side effects (http-request, mqtt-publish) send, and how they run in dry-run mode. Pure.
 */
import { serialize } from '../../../shared/clock.js';
import type { StoredEvent } from '../../../shared/event.js';
import type { NodeFactoryContext } from '../node.js';

/** A stored event as a structured-mode CloudEvent 1.0, Causeway's attributes as lower-case extensions. */
export function toCloudEvent(event: StoredEvent): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: event.id,
    source: event.source,
    type: event.type,
    time: event.time,
    ...(event.subject !== null ? { subject: event.subject } : {}),
    datacontenttype: event.datacontenttype ?? 'application/json',
    data: event.data,
    stream: event.stream,
    process: event.process,
    vectorclock: serialize(event.vectorClock),
    correlationid: event.correlationId,
    ...(event.causationId !== null ? { causationid: event.causationId } : {}),
  };
}

/** A side effect a sink would have had, recorded instead of performed (replays in dry-run mode). */
export type RecordedEffect =
  | { kind: 'mqtt-publish'; nodeId: string; eventId: string; url: string; topic: string; qos: 0 | 1 | 2; retain: boolean; payload: string; userProperties: Record<string, string> }
  | { kind: 'http-request'; nodeId: string; eventId: string; url: string; method: string; headers: Record<string, string>; body: string };

/**
 * How the runtime tells a sink to record rather than act. These fields extend the factory context; the
 * runtime sets them when it runs a flow in dry-run mode.
 */
export interface SideEffectContext {
  dryRun?: boolean;
  recordEffect?: (effect: RecordedEffect) => void;
}

export function sideEffectsOf(ctx: NodeFactoryContext): { dryRun: boolean; record: (effect: RecordedEffect) => void } {
  const extended = ctx as NodeFactoryContext & SideEffectContext;
  return {
    dryRun: extended.dryRun === true,
    record: (effect) => extended.recordEffect?.(effect),
  };
}
