/**
 * Where an actor key starts when it is neither in memory nor passivated: from its initial state in a live run, and in
 * a replay from the state it had live just before its first replayed input (replay/actor-origins.ts). The origin
 * finds the state kept nearest before that point and the key's inputs between; the actor folds those with its own
 * reducer, so a replay's actor starts where the original one stood.
 */
import type { StoredEvent } from '../../shared/event.js';

/** A key's state as the actor holds it. */
export interface KeyBase {
  state: unknown;
  stopped: boolean;
  /** Position of the last input folded into `state`. */
  position: number;
}

/** Where one key starts: a kept state (null: the initial state), then its inputs in (after, before) folded. */
export interface KeyStart {
  base: { state: unknown; stopped: boolean } | null;
  /** Inputs up to here are in `base` (or the key had none). */
  after: number;
  /** The live position of the key's first replayed input: inputs from here on are the replay's to fold. */
  before: number;
}

export interface KeyOrigin {
  /** For each key, with the first event the replay folds for it. */
  startsOf(nodeId: string, firsts: ReadonlyMap<string, StoredEvent>): Promise<Map<string, KeyStart>>;
  /** The live events that reached the node with positions in (after, before), a page at a time, in position order. */
  inputsOf(nodeId: string, after: number, before: number): AsyncIterable<StoredEvent[]>;
}
