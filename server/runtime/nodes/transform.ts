import { transformNode } from '../../../shared/nodes/processors.js';
import { andThen, compileExpression } from '../expressions.js';
import type { NodeFactory } from '../node.js';
import { configOf } from './config.js';

export const transform: NodeFactory = (ctx) => {
  const config = configOf(transformNode, ctx);
  const mapping = compileExpression(config.expression);
  return {
    handle: (event) =>
      andThen(mapping.evaluate(event), (data) => [
        { kind: 'emit', type: config.type ?? event.type, data: data ?? null, subject: event.subject },
      ]),
  };
};
