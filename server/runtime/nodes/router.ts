import type { StoredEvent } from '../../../shared/event.js';
import { routerNode } from '../../../shared/nodes/processors.js';
import { compileExpression, isTruthy } from '../expressions.js';
import { NodeFailure, type BatchAnswer, type NodeFactory, type Output } from '../node.js';
import { configOf } from './config.js';

export const router: NodeFactory = (ctx) => {
  const config = configOf(routerNode, ctx);
  const rules = config.rules.map((r) => ({ port: r.port, predicate: compileExpression(r.expression, ctx.userCode, ctx.flowId) }));

  /**
   * Rule by rule, over the inputs still being routed: in mode `first` an input leaves the round at its first
   * matching rule, so later rules never run on it (nor fail on it).
   */
  const route = async (events: readonly StoredEvent[]): Promise<BatchAnswer[]> => {
    const outputs: (Output[] | NodeFailure)[] = events.map(() => []);
    let open = events.map((_, i) => i);
    for (const rule of rules) {
      if (open.length === 0) break;
      const values = await rule.predicate.evaluateAll(open.map((i) => events[i]!));
      const still: number[] = [];
      for (let j = 0; j < open.length; j++) {
        const i = open[j]!;
        const value = values[j];
        if (value instanceof NodeFailure) {
          outputs[i] = value;
          continue;
        }
        const matched = isTruthy(value);
        if (matched) (outputs[i] as Output[]).push({ kind: 'forward', port: rule.port });
        if (!matched || config.mode !== 'first') still.push(i);
      }
      open = still;
    }
    return outputs.map((out) => (out instanceof NodeFailure || out.length > 0 ? out : [{ kind: 'forward', port: 'otherwise' }]));
  };
  return {
    handleBatch: route,
    stop: () => {
      for (const rule of rules) rule.predicate.release();
    },
  };
};
