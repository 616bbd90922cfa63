import type { StoredEvent } from '../../../shared/event.js';
import { actorNode } from '../../../shared/nodes/handlers.js';
import { andThen, compileExpression, keyOf } from '../expressions.js';
import { NodeFailure, type NodeFactory } from '../node.js';
import { createScript } from '../sandbox.js';
import { configOf } from './config.js';
import { toEmits } from './emissions.js';

interface KeyState {
  state: unknown;
  /** Position of the last event folded into `state`. */
  position: number;
  stopped: boolean;
}

export interface ActorSnapshot {
  keys: Record<string, KeyState>;
}

const clone = (value: unknown): unknown => (value === undefined ? {} : structuredClone(value));

/**
 * State per key; the reducer `function (state, event)` returns `{state, emit}`. Messages are handled one at a
 * time, so each key's mailbox is serial. A failing reducer is supervised: `restart` resets the key's state,
 * `resume` keeps it, `stop` refuses the key's later messages. The failing message goes to the dead letters.
 */
export const actor: NodeFactory = async (ctx) => {
  const config = configOf(actorNode, ctx);
  const key = compileExpression(config.key);
  const reducer = await createScript({
    source: config.reducer,
    params: ['state', 'event'],
    timeoutMs: config.timeoutMs,
    memoryMb: config.memoryMb,
  });
  let keys = new Map<string, KeyState>();
  const keyFor = (event: StoredEvent) => andThen(key.evaluate(event), keyOf);

  return {
    handle: (event) => andThen(keyFor(event), (k) => {
      let entry = keys.get(k);
      if (!entry) {
        entry = { state: clone(config.initialState), position: 0, stopped: false };
        keys.set(k, entry);
      }
      if (entry.stopped) throw new NodeFailure('actor_stopped', `the actor for key "${k}" was stopped by an earlier failure`);
      entry.position = event.position;

      const result = reducer.call(entry.state, event);
      const fail = (code: string, message: string, details: Record<string, unknown> = {}): never => {
        if (config.strategy === 'restart') entry.state = clone(config.initialState);
        if (config.strategy === 'stop') entry.stopped = true;
        throw new NodeFailure(code, message, { key: k, strategy: config.strategy, ...details });
      };
      if (!result.ok) return fail(result.error.code, result.error.message, { line: result.error.line });
      const value = result.value as { state?: unknown; emit?: unknown } | null;
      if (typeof value !== 'object' || value === null || !('state' in value)) {
        return fail('invalid_result', 'the reducer must return {state, emit}');
      }
      const emits = (() => {
        try {
          return toEmits(value.emit, 'emit');
        } catch (error) {
          return fail('invalid_result', (error as Error).message);
        }
      })();
      entry.state = value.state;
      return emits;
    }),
    snapshot: (): ActorSnapshot => ({ keys: Object.fromEntries(keys) }),
    restore: (snapshot) => {
      keys = new Map(Object.entries((snapshot as ActorSnapshot | null)?.keys ?? {}));
    },
    alreadyApplied: (event) => andThen(keyFor(event), (k) => (keys.get(k)?.position ?? 0) >= event.position),
    stop: () => reducer.dispose(),
  };
};
