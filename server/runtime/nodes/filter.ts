import { filterNode } from '../../../shared/nodes/processors.js';
import { andThen, compileExpression, isTruthy } from '../expressions.js';
import { HOLD_BACK, PASS_ON, type NodeFactory } from '../node.js';
import { configOf } from './config.js';

export const filter: NodeFactory = (ctx) => {
  const predicate = compileExpression(configOf(filterNode, ctx).expression);
  return {
    handle: (event) => andThen(predicate.evaluate(event), (value) => (isTruthy(value) ? PASS_ON : HOLD_BACK)),
  };
};
