import type { StoredEvent } from '../../../shared/event.js';
import { routerNode } from '../../../shared/nodes/processors.js';
import { andThen, compileExpression, isTruthy, type MaybePromise } from '../expressions.js';
import type { NodeFactory, Output } from '../node.js';
import { configOf } from './config.js';

export const router: NodeFactory = (ctx) => {
  const config = configOf(routerNode, ctx);
  const rules = config.rules.map((r) => ({ port: r.port, predicate: compileExpression(r.expression) }));

  /** Tries the rules from `index` on, in order, adding a forward to `out` for each that holds. */
  const route = (event: StoredEvent, index: number, out: Output[]): MaybePromise<Output[]> => {
    const rule = rules[index];
    if (!rule) return out.length > 0 ? out : [{ kind: 'forward', port: 'otherwise' }];
    return andThen(rule.predicate.evaluate(event), (value) => {
      if (!isTruthy(value)) return route(event, index + 1, out);
      out.push({ kind: 'forward', port: rule.port });
      return config.mode === 'first' ? out : route(event, index + 1, out);
    });
  };
  return { handle: (event) => route(event, 0, []) };
};
