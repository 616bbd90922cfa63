/**
 * One append call for the events of a batch of inputs. If the store refuses an event of it (a stated stream version
 * conflicts, or the event is one it cannot store), nothing of the call was written: the batch is appended again
 * input by input, and the refused input's events are replaced by its dead letter. One bad input never holds up the
 * others. Any other failure (after retries) is thrown: the store itself is failing.
 */
import type { EventDraft } from '../../shared/event.js';
import type { AppendResult, EventStore } from '../store/index.js';
import type { Failure } from './derive.js';
import { failureOf, refusesOneInput } from './failures.js';
import { withRetries } from './retries.js';

/**
 * Appends `perInput` (the drafts of each input, in order); `stored` hears each call's results, `letterFor` gives the
 * dead letter of the input at `index` refused with `failure`.
 */
export async function appendByInput(
  store: Pick<EventStore, 'append'>,
  perInput: readonly (readonly EventDraft[])[],
  letterFor: (index: number, failure: Failure) => EventDraft,
  stored: (results: AppendResult[]) => void,
): Promise<void> {
  const drafts = perInput.flat();
  if (drafts.length === 0) return;
  try {
    stored(await withRetries(() => store.append(drafts)));
  } catch (error) {
    if (!refusesOneInput(error)) throw error;
    for (let i = 0; i < perInput.length; i++) {
      const own = perInput[i]!;
      if (own.length === 0) continue;
      try {
        stored(await store.append([...own]));
      } catch (inner) {
        if (!refusesOneInput(inner)) throw inner;
        stored(await store.append([letterFor(i, failureOf(inner))]));
      }
    }
  }
}
