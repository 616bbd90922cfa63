import type { StoredEvent } from '../../../shared/event.js';
import { actorNode } from '../../../shared/nodes/handlers.js';
import { compileExpression, keyOf } from '../expressions.js';
import { LiveKeys, type ActorSnapshot } from '../live-keys.js';
import { NodeFailure, type BatchAnswer, type Emit, type NodeFactory } from '../node.js';
import type { KeyState as ThreadKeyState } from '../user-code/protocol.js';
import { startNewKeys, type KeyStarter } from './actor-start.js';
import { configOf } from './config.js';
import { failureOf } from './function.js';

const SKIP: readonly Emit[] = [];

/**
 * State per key; the reducer `function (state, event)` returns `{state, emit}`. Messages are handled one at a
 * time, so each key's mailbox is serial. A failing reducer is supervised: `restart` resets the key's state,
 * `resume` keeps it, `stop` refuses the key's later messages. The failing message goes to the dead letters.
 * The reducer runs in a user-code thread, a batch at a time: the keys' states go with it and come back folded.
 * With `maxLiveKeys`, keys beyond it leave memory between batches and come back when needed (live-keys.ts).
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
  const keys = new LiveKeys(ctx.snapshots, ctx.flowId, ctx.node.id, ctx.maxLiveKeys);
  /** A key expression's value as a key; null where it failed. */
  const asKey = (value: unknown): string | null => (value instanceof NodeFailure ? null : keyOf(value));
  const keysOf = async (events: readonly StoredEvent[]) => (await key.evaluateAll(events)).map(asKey);
  const starter: KeyStarter | null = ctx.keyOrigin
    ? {
        origin: ctx.keyOrigin,
        nodeId: ctx.node.id,
        started: new Set(),
        keysOf,
        fold: async (items, states) => (await pool.run(reducer, { op: 'fold', items, states })).states ?? [],
      }
    : null;

  const handleBatch = async (events: readonly StoredEvent[]): Promise<BatchAnswer[]> => {
    const keyValues = await key.evaluateAll(events);
    const batchKeys = keyValues.map(asKey);
    await keys.prepare([...new Set(batchKeys.filter((k) => k !== null))]);
    if (starter) await startNewKeys(starter, keys, events, batchKeys);
    const answers = new Array<BatchAnswer>(events.length);
    const items: { key: string; event: StoredEvent }[] = [];
    const itemOf: number[] = [];
    const states = new Map<string, ThreadKeyState>();
    for (let i = 0; i < events.length; i++) {
      const k = batchKeys[i]!;
      if (k === null) {
        answers[i] = keyValues[i] as NodeFailure;
        continue;
      }
      const entry = keys.use(k);
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
      const entry = keys.use(k);
      if (entry) entry.position = items[j]!.event.position;
      else keys.add(k, { state: null, position: items[j]!.event.position, stopped: false });
    }
    for (const [k, after] of folded.states ?? []) {
      const entry = keys.use(k);
      if (entry) Object.assign(entry, after);
    }
    return answers;
  };

  return {
    handleBatch,
    snapshot: (): ActorSnapshot => keys.snapshot(),
    restore: (snapshot) => keys.restore(snapshot as ActorSnapshot | null),
    liveKeys: () => keys.size,
    stop: () => {
      key.release();
      pool.release(reducer);
    },
  };
};
