import { transformNode } from '../../../shared/nodes/processors.js';
import { compileExpression } from '../expressions.js';
import type { NodeFactory } from '../node.js';
import { configOf } from './config.js';

export const transform: NodeFactory = (ctx) => {
  const config = configOf(transformNode, ctx);
  const mapping = compileExpression(config.expression);
  return {
    handle: async (event) => {
      const data = (await mapping.evaluate(event)) ?? null;
      return [{ kind: 'emit', type: config.type ?? event.type, data, subject: event.subject }];
    },
  };
};
