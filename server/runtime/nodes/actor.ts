import type { StoredEvent } from '../../../shared/event.js';
import { actorNode } from '../../../shared/nodes/handlers.js';
import { compileExpression, keyOf } from '../expressions.js';
import { NodeFailure, type BatchAnswer, type Emit, type NodeFactory } from '../node.js';
import type { KeyState as ThreadKeyState } from '../user-code/protocol.js';
import { configOf } from './config.js';
import { failureOf } from './function.js';

interface KeyState {
  state: unknown;
  /** Position of the last event folded into `state`. */
  position: number;
  stopped: boolean;
}

export interface ActorSnapshot {
  keys: Record<string, KeyState>;
}

const SKIP: readonly Emit[] = [];

/**
 * State per key; the reducer `function (state, event)` returns `{state, emit}`. Messages are handled one at a
 * time, so each key's mailbox is serial. A failing reducer is supervised: `restart` resets the key's state,
 * `resume` keeps it, `stop` refuses the key's later messages. The failing message goes to the dead letters.
 * The reducer runs in a user-code thread, a batch at a time: the keys' states go with it and come back folded.
 */
export const actor: NodeFactory = (ctx) => {
  const config = configOf(actorNode, ctx);
  const pool = ctx.userCode;
  const key = compileExpression(config.key, pool, ctx.flowId);
  const reducer = pool.register({
    kind: 'reducer',
    source: config.reducer,
    timeoutMs: config.timeoutMs,
    memoryMb: config.memoryMb,
    initialState: config.initialState,
    strategy: config.strategy,
  }, ctx.flowId);
  let keys = new Map<string, KeyState>();

  const handleBatch = async (events: readonly StoredEvent[]): Promise<BatchAnswer[]> => {
    const keyValues = await key.evaluateAll(events);
    const answers = new Array<BatchAnswer>(events.length);
    const items: { key: string; event: StoredEvent }[] = [];
    const itemOf: number[] = [];
    const states = new Map<string, ThreadKeyState>();
    for (let i = 0; i < events.length; i++) {
      const value = keyValues[i];
      if (value instanceof NodeFailure) {
        answers[i] = value;
        continue;
      }
      const k = keyOf(value);
      const entry = keys.get(k);
      // Already folded into the restored state (a restart resumes from the checkpoint, not the snapshot).
      if (entry && entry.position >= events[i]!.position) {
        answers[i] = SKIP;
        continue;
      }
      if (entry && !states.has(k)) states.set(k, { state: entry.state, stopped: entry.stopped });
      items.push({ key: k, event: events[i]! });
      itemOf.push(i);
    }
    const folded = await pool.run(reducer, { op: 'fold', items, states: [...states] });
    for (let j = 0; j < items.length; j++) {
      const result = folded.results[j]!;
      answers[itemOf[j]!] = result.ok ? (result.value as Emit[]) : failureOf(result);
      const k = items[j]!.key;
      const entry = keys.get(k);
      if (entry) entry.position = items[j]!.event.position;
      else keys.set(k, { state: null, position: items[j]!.event.position, stopped: false });
    }
    for (const [k, after] of folded.states ?? []) {
      const entry = keys.get(k);
      if (entry) Object.assign(entry, after);
    }
    return answers;
  };

  return {
    handleBatch,
    snapshot: (): ActorSnapshot => ({ keys: Object.fromEntries(keys) }),
    restore: (snapshot) => {
      keys = new Map(Object.entries((snapshot as ActorSnapshot | null)?.keys ?? {}));
    },
    stop: () => {
      key.release();
      pool.release(reducer);
    },
  };
};
