/**
 * What a re-drive did, from what its replay left in its namespace, and what a live one writes to the live log. Pure.
 *
 * - chains: each event the replay derived belongs to the input its causation chain starts at;
 * - outcomes: an entry failed again when its input's chain holds a dead letter (the first one's error), else it was
 *   re-driven, with the ids of what the chain derived;
 * - live drafts: the chain's events as they go into the live log — same ids (so a repeat stores nothing twice), same
 *   causation and correlation, clocks stamped again by the live process clocks, marked with the re-drive's replay
 *   id so the deployed flow does not handle them a second time (routes.ts);
 * - outcome records: one event per entry in `$redrive`, caused by its dead letter, with an id fixed by the dead
 *   letter and the revision: the dead letter itself is never changed, and a repeat records nothing twice.
 */
import type { VectorClock } from '../../shared/clock.js';
import type { DeadLetterError, RedriveEntry as EntryOutcome } from '../../shared/api/deadletters.js';
import type { EventDraft, StoredEvent } from '../../shared/event.js';
import { DEADLETTER_PORT, DEADLETTER_STREAM } from '../runtime/derive.js';
import { derivedEventId } from '../runtime/ids.js';
import type { RedrivePlan } from './redrive-plan.js';
import { REDRIVE_STREAM } from './redrive-source.js';

export const REDRIVE_TYPE = 'causeway.redrive';

/** What the replay derived from one input, in order, and the first dead letter among it. */
export interface Chain {
  derived: StoredEvent[];
  failure: StoredEvent | null;
}

/** Collects the namespace's events, page by page in position order, into chains by input. */
export class ChainCollector {
  readonly chains = new Map<string, Chain>();
  private readonly inputOf = new Map<string, string>();

  constructor(inputIds: Iterable<string>) {
    for (const id of inputIds) {
      this.inputOf.set(id, id);
      this.chains.set(id, { derived: [], failure: null });
    }
  }

  take(page: readonly StoredEvent[]): void {
    for (const event of page) {
      if (this.chains.has(event.id) || event.causationId === null) continue;
      const input = this.inputOf.get(event.causationId);
      if (input === undefined) continue;
      this.inputOf.set(event.id, input);
      const chain = this.chains.get(input)!;
      chain.derived.push(event);
      if (event.stream === DEADLETTER_STREAM) chain.failure ??= event;
    }
  }
}

const errorOf = (letter: StoredEvent): DeadLetterError => {
  const error = (letter.data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return { code: typeof error?.code === 'string' ? error.code : 'error', message: typeof error?.message === 'string' ? error.message : '' };
};

/** Each dead letter's outcome, in the order given. */
export function outcomesOf(deadLetters: readonly StoredEvent[], plan: RedrivePlan, chains: ReadonlyMap<string, Chain>): EntryOutcome[] {
  const unrunnable = new Map(plan.unrunnable.map((u) => [u.deadLetterId, u]));
  return deadLetters.map((letter) => {
    const base = { deadLetterId: letter.id, nodeId: letter.nodeId };
    const refused = unrunnable.get(letter.id);
    if (refused) return { ...base, outcome: 'failed', error: { code: refused.code, message: refused.message }, outputs: [] };
    const chain = chains.get(plan.inputOf.get(letter.id) ?? '');
    if (!chain) return { ...base, outcome: 'failed', error: { code: 'not_run', message: 'the re-drive did not reach this input' }, outputs: [] };
    if (chain.failure) return { ...base, outcome: 'failed', error: errorOf(chain.failure), outputs: [] };
    return { ...base, outcome: 'redriven', error: null, outputs: chain.derived.map((e) => e.id) };
  });
}

/** Stamps `process` receiving a clock: the live process clocks' `receive`. */
export type Stamp = (process: string, received: VectorClock) => VectorClock;

/** A chain's events as drafts for the live log, in order, each clock received from its cause's new one. */
export function liveDrafts(input: StoredEvent, chain: Chain, replayId: string, stamp: Stamp): EventDraft[] {
  const clocks = new Map<string, VectorClock>([[input.id, input.vectorClock]]);
  return chain.derived.map((event) => {
    const { position: _position, version: _version, ...draft } = event;
    const vectorClock = stamp(event.process, clocks.get(event.causationId ?? '') ?? input.vectorClock);
    clocks.set(event.id, vectorClock);
    return { ...draft, vectorClock, metadata: { ...event.metadata, redrive: replayId } };
  });
}

/** The record of one entry's live re-drive, in `$redrive`. */
export function outcomeDraft(letter: StoredEvent, outcome: EntryOutcome, revision: number, replayId: string, stamp: Stamp): EventDraft {
  return {
    id: derivedEventId(letter.flowId ?? '', letter.nodeId ?? '', letter, `redrive:${revision}`),
    type: REDRIVE_TYPE,
    source: letter.source,
    time: new Date().toISOString(),
    subject: letter.id,
    datacontenttype: 'application/json',
    data: { deadLetterId: letter.id, outcome: outcome.outcome, revision, replayId, error: outcome.error, outputs: outcome.outputs },
    stream: REDRIVE_STREAM,
    process: letter.process,
    vectorClock: stamp(letter.process, letter.vectorClock),
    correlationId: letter.correlationId,
    causationId: letter.id,
    flowId: letter.flowId,
    nodeId: letter.nodeId,
    revision,
    metadata: { port: DEADLETTER_PORT, redrive: replayId },
  };
}
