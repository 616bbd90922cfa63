/**
 * What a handled input leaves to append, and the drafts it makes: the events its `emit` outputs derive, or one
 * dead letter — for the input's failure, for deriving more events than an input may, or for passing the hop limit
 * (a cycle that does not end). Drafts are built only when their append call is made, in the same turn: building
 * stamps them with the clock of the node's process, so whatever another producer on that process stamps while the
 * node works through its batch is appended before them, never after them with a lower counter.
 */
import type { EventDraft, StoredEvent } from '../../shared/event.js';
import { deadLetterDraft, deriveDrafts, hopsAfter, type DeriveContext, type Failure } from './derive.js';
import type { Emit, Output } from './node.js';
import type { Delivery } from './routes.js';

/** An input's outputs (caused by `causes`, or by the input itself when null), or the failure to dead-letter. */
export type Emission =
  | { delivery: Delivery; outputs: readonly Output[]; causes: StoredEvent[] | null }
  | { delivery: Delivery; failure: Failure };

export interface DraftLimits {
  /** The most events one input may derive. */
  maxDerivedPerInput: number;
  /** The most hops a correlation chain may take. */
  hopLimit: number;
}

/** The drafts of an input that emits nothing: most inputs of filters, routers and sinks. */
const NO_DRAFTS: readonly EventDraft[] = [];

/** An input's drafts; one refused by a limit is counted in `counters.errors`. */
export function draftsOf(ctx: DeriveContext, emission: Emission, limits: DraftLimits, counters: { errors: number }): readonly EventDraft[] {
  const { delivery } = emission;
  if ('failure' in emission) return [deadLetterDraft(ctx, delivery.event, delivery.arrival, emission.failure)];
  const emits = emission.outputs.filter((output): output is Emit => output.kind === 'emit');
  if (emits.length === 0) return NO_DRAFTS;
  if (emits.length > limits.maxDerivedPerInput) {
    counters.errors++;
    return [
      deadLetterDraft(ctx, delivery.event, delivery.arrival, {
        code: 'too_many_events',
        message: `the input derived ${emits.length} events, more than the limit of ${limits.maxDerivedPerInput} per input`,
      }),
    ];
  }
  const causes = emission.causes ?? [delivery.event];
  const hops = hopsAfter(causes);
  if (hops > limits.hopLimit) {
    counters.errors++;
    return [
      deadLetterDraft(ctx, delivery.event, delivery.arrival, {
        code: 'hop_limit',
        message: `the correlation chain passed ${limits.hopLimit} hops (a cycle that does not end?)`,
      }),
    ];
  }
  return deriveDrafts(ctx, delivery.event, delivery.arrival, emits, causes, hops);
}
