import { filterNode } from '../../../shared/nodes/processors.js';
import { answersOf, compileExpression, isTruthy } from '../expressions.js';
import { andThen } from '../maybe-promise.js';
import { HOLD_BACK, PASS_ON, type NodeFactory } from '../node.js';
import { configOf } from './config.js';

export const filter: NodeFactory = (ctx) => {
  const predicate = compileExpression(configOf(filterNode, ctx).expression, ctx.userCode, ctx.flowId);
  return {
    handleBatch: (events) => andThen(predicate.evaluateAll(events), (values) => answersOf(values, (value) => (isTruthy(value) ? PASS_ON : HOLD_BACK))),
    stop: () => predicate.release(),
  };
};
