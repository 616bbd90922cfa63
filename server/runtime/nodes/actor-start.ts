/**
 * Starting an actor's keys from their origin (../key-origin.ts): the keys a batch brings that the actor has never
 * held get the state they had before their first input here — the kept state, then their inputs since folded with
 * the actor's own reducer, outputs discarded (they were emitted at the time). Keys the origin knows nothing of start
 * from the initial state, as in a live run.
 */
import type { StoredEvent } from '../../../shared/event.js';
import type { KeyOrigin } from '../key-origin.js';
import type { LiveKeys } from '../live-keys.js';
import type { KeyState as ThreadKeyState } from '../user-code/protocol.js';

export interface KeyStarter {
  origin: KeyOrigin;
  nodeId: string;
  /** Keys already started or held: each starts once. */
  started: Set<string>;
  keysOf(events: readonly StoredEvent[]): Promise<(string | null)[]>;
  /** The reducer over items in order, from the states given: each key's state after its last item. */
  fold(items: { key: string; event: StoredEvent }[], states: [string, ThreadKeyState][]): Promise<[string, ThreadKeyState][]>;
}

/** Starts the batch's new keys (`batchKeys[i]` is the key of `events[i]`) in `keys`. */
export async function startNewKeys(starter: KeyStarter, keys: LiveKeys, events: readonly StoredEvent[], batchKeys: readonly (string | null)[]): Promise<void> {
  const firsts = new Map<string, StoredEvent>();
  for (let i = 0; i < events.length; i++) {
    const k = batchKeys[i]!;
    if (k === null || starter.started.has(k)) continue;
    if (keys.has(k)) starter.started.add(k);
    else if (!firsts.has(k)) firsts.set(k, events[i]!);
  }
  if (firsts.size === 0) return;
  const starts = await starter.origin.startsOf(starter.nodeId, firsts);
  const states = new Map<string, ThreadKeyState>();
  let after = Infinity;
  let before = 0;
  for (const [k, start] of starts) {
    if (start.base) states.set(k, { state: start.base.state, stopped: start.base.stopped });
    after = Math.min(after, start.after);
    before = Math.max(before, start.before);
  }
  if (after < before) {
    for await (const page of starter.origin.inputsOf(starter.nodeId, after, before)) {
      const pageKeys = await starter.keysOf(page);
      const items: { key: string; event: StoredEvent }[] = [];
      page.forEach((event, i) => {
        const k = pageKeys[i];
        const start = k == null ? undefined : starts.get(k);
        if (start && event.position > start.after && event.position < start.before) items.push({ key: k!, event });
      });
      if (items.length === 0) continue;
      const touched = new Set(items.map((item) => item.key));
      const from = [...touched].flatMap((k): [string, ThreadKeyState][] => (states.has(k) ? [[k, states.get(k)!]] : []));
      for (const [k, state] of await starter.fold(items, from)) states.set(k, state);
    }
  }
  for (const k of firsts.keys()) {
    starter.started.add(k);
    const state = states.get(k);
    // Position 0: nothing of the replay is folded in yet.
    if (state) keys.add(k, { state: state.state, stopped: state.stopped, position: 0 });
  }
}
