import { routerNode } from '../../../shared/nodes/processors.js';
import { compileExpression, isTruthy } from '../expressions.js';
import type { NodeFactory, Output } from '../node.js';
import { configOf } from './config.js';

export const router: NodeFactory = (ctx) => {
  const config = configOf(routerNode, ctx);
  const rules = config.rules.map((r) => ({ port: r.port, predicate: compileExpression(r.expression) }));
  return {
    handle: async (event) => {
      const out: Output[] = [];
      for (const rule of rules) {
        if (!isTruthy(await rule.predicate.evaluate(event))) continue;
        out.push({ kind: 'forward', port: rule.port });
        if (config.mode === 'first') break;
      }
      return out.length > 0 ? out : [{ kind: 'forward', port: 'otherwise' }];
    },
  };
};
