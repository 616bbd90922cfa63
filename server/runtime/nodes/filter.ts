import { filterNode } from '../../../shared/nodes/processors.js';
import { compileExpression, isTruthy } from '../expressions.js';
import type { NodeFactory } from '../node.js';
import { configOf } from './config.js';

export const filter: NodeFactory = (ctx) => {
  const predicate = compileExpression(configOf(filterNode, ctx).expression);
  return {
    handle: async (event) => (isTruthy(await predicate.evaluate(event)) ? [{ kind: 'forward', port: 'out' }] : []),
  };
};
