import { filterNode } from '../../../shared/nodes/processors.js';
import { andThen, compileExpression, isTruthy } from '../expressions.js';
import type { NodeFactory, Output } from '../node.js';
import { configOf } from './config.js';

/** The two answers, shared by every input (the runtime never changes an answer). */
const PASS: Output[] = [{ kind: 'forward', port: 'out' }];
const DROP: Output[] = [];

export const filter: NodeFactory = (ctx) => {
  const predicate = compileExpression(configOf(filterNode, ctx).expression);
  return {
    handle: (event) => andThen(predicate.evaluate(event), (value) => (isTruthy(value) ? PASS : DROP)),
  };
};
