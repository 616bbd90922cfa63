import { transformNode } from '../../../shared/nodes/processors.js';
import { answersOf, compileExpression } from '../expressions.js';
import { andThen } from '../maybe-promise.js';
import type { NodeFactory, Output } from '../node.js';
import { configOf } from './config.js';

export const transform: NodeFactory = (ctx) => {
  const config = configOf(transformNode, ctx);
  const mapping = compileExpression(config.expression, ctx.userCode, ctx.flowId);
  return {
    handleBatch: (events) =>
      andThen(mapping.evaluateAll(events), (values) =>
        answersOf(values, (data, i): Output[] => {
          const event = events[i]!;
          return [{ kind: 'emit', type: config.type ?? event.type, data: data ?? null, subject: event.subject }];
        }),
      ),
    stop: () => mapping.release(),
  };
};
