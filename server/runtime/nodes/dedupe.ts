import { dedupeNode } from '../../../shared/nodes/processors.js';
import { answersOf, compileExpression, keyOf } from '../expressions.js';
import { andThen } from '../maybe-promise.js';
import { HOLD_BACK, PASS_ON, type NodeFactory, type Output } from '../node.js';
import { configOf } from './config.js';

/** Drops an event whose key was seen less than `windowMs` ago (by event time). */
export const dedupe: NodeFactory = (ctx) => {
  const config = configOf(dedupeNode, ctx);
  const key = compileExpression(config.key, ctx.userCode, ctx.flowId);
  const seen = new Map<string, number>();
  let lastSweep = 0;
  const admit = (k: string, t: number): Output[] => {
    if (t - lastSweep > config.windowMs) {
      for (const [key, at] of seen) if (t - at >= config.windowMs) seen.delete(key);
      lastSweep = t;
    }
    const previous = seen.get(k);
    if (previous !== undefined && t - previous < config.windowMs) return HOLD_BACK;
    seen.set(k, t);
    return PASS_ON;
  };
  return {
    handleBatch: (events) => andThen(key.evaluateAll(events), (values) => answersOf(values, (value, i) => admit(keyOf(value), Date.parse(events[i]!.time)))),
    stop: () => key.release(),
  };
};
