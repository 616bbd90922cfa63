import { throttleNode } from '../../../shared/nodes/processors.js';
import { answersOf, compileExpression, keyOf } from '../expressions.js';
import { andThen } from '../maybe-promise.js';
import { HOLD_BACK, PASS_ON, type NodeFactory, type Output } from '../node.js';
import { configOf } from './config.js';

/** A token bucket per key: at most `perSecond` events per second pass, bursts up to one second's worth. */
export const throttle: NodeFactory = (ctx, now: () => number = Date.now) => {
  const config = configOf(throttleNode, ctx);
  const key = compileExpression(config.key, ctx.userCode, ctx.flowId);
  const capacity = Math.max(1, config.perSecond);
  const buckets = new Map<string, { tokens: number; at: number }>();
  const admit = (k: string): Output[] => {
    const t = now();
    const bucket = buckets.get(k) ?? { tokens: capacity, at: t };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((t - bucket.at) / 1000) * config.perSecond);
    bucket.at = t;
    buckets.set(k, bucket);
    if (bucket.tokens < 1) return HOLD_BACK;
    bucket.tokens -= 1;
    return PASS_ON;
  };
  return {
    handleBatch: (events) => andThen(key.evaluateAll(events), (values) => answersOf(values, (value) => admit(keyOf(value)))),
    stop: () => key.release(),
  };
};
