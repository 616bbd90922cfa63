/**
 * Coming back from runs that died. Each run marks the checkpoint it started from (`started-at`) and clears the mark
 * when it drains; a mark still standing at the next start means the last run died. Died once: the inputs up to the
 * store's head at start are handled one at a time, the checkpoint saved after each, so if one of them kills the
 * process again the checkpoint stands just before it (careful mode). Died twice in a row at the same checkpoint:
 * the first input after it is set aside as a dead letter (`quarantined`) instead of being handled, and the flow goes
 * on. So no input can keep a flow from coming back.
 */
import type { EventDraft, StoredEvent } from '../../shared/event.js';
import type { EventStore } from '../store/index.js';
import { deadLetterDraft, type DeriveContext } from './derive.js';

/** The checkpoint a run started from, kept until it drains cleanly (-1 then): a run that dies leaves it behind. */
const startedAtKey = (flowId: string) => `flow:${flowId}:started-at`;
/** How many runs in a row ended without draining while the checkpoint stood where the last one started. */
const crashesKey = (flowId: string) => `flow:${flowId}:crashes`;

/** A run that ends without draining leaves the checkpoint it started from: this many at one checkpoint, and the input after it is set aside. */
const CRASHES_BEFORE_QUARANTINE = 2;

/** How many runs died at `checkpoint` in a row, given the last run's mark and the count it recorded. */
export function crashesAt(checkpoint: number, startedAt: number | null, before: number): number {
  if (startedAt === null || startedAt < 0) return 0;
  return startedAt === checkpoint ? before + 1 : 1;
}

/** Records that a run starts from `checkpoint`, and answers how many runs before it died there. */
export async function markStart(store: Pick<EventStore, 'getCheckpoint' | 'setCheckpoints'>, flowId: string, checkpoint: number): Promise<number> {
  const startedAt = await store.getCheckpoint(startedAtKey(flowId));
  const before = (await store.getCheckpoint(crashesKey(flowId))) ?? 0;
  const crashes = crashesAt(checkpoint, startedAt, before);
  await store.setCheckpoints({ [startedAtKey(flowId)]: checkpoint, [crashesKey(flowId)]: crashes });
  return crashes;
}

/** The run's mark moves with its careful progress: dying on the next input counts as dying where the last run died, as it is. */
export const markMoved = (flowId: string, checkpoint: number): Record<string, number> => ({ [startedAtKey(flowId)]: checkpoint });

/** A run that drained clears its mark. */
export const markCleared = (flowId: string): Record<string, number> => ({ [startedAtKey(flowId)]: -1, [crashesKey(flowId)]: 0 });

/** How a run treats what the run before it may have died on. */
export class CarefulMode {
  private constructor(
    /** Inputs up to here (the head at start) are dispatched one at a time. */
    private readonly until: number,
    /** The first such input goes to the dead letters instead of the nodes. */
    private quarantine: boolean,
  ) {}

  static after(crashes: number, head: number): CarefulMode {
    return crashes > 0 ? new CarefulMode(head, crashes >= CRASHES_BEFORE_QUARANTINE) : new CarefulMode(0, false);
  }

  /** Whether this event, which enters the flow and was not handled before this start, is to be dispatched alone. */
  covers(position: number, resumeFrom: number): boolean {
    return position <= this.until && position > resumeFrom;
  }

  /** Whether to set this input aside: true once, for the first careful input of a run after two deaths. */
  takeQuarantine(): boolean {
    const taken = this.quarantine;
    this.quarantine = false;
    return taken;
  }
}

/** How long a careful dispatch waits for an input to be handled before it goes on (a batch may hold it). */
export const CAREFUL_WAIT_MS = 1_000;

/** The dead letter of an input set aside, from the node it entered by. */
export function quarantineLetter(ctx: DeriveContext, event: StoredEvent): EventDraft {
  return deadLetterDraft(ctx, event, 'quarantine', {
    code: 'quarantined',
    message: `the process stopped twice in a row while this input was being handled; it was set aside so the flow could go on`,
  });
}
