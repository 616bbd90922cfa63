import { functionNode } from '../../../shared/nodes/handlers.js';
import { NodeFailure, type BatchAnswer, type NodeFactory } from '../node.js';
import type { ItemResult } from '../user-code/protocol.js';
import { configOf } from './config.js';
import { toEmits } from './emissions.js';

/** User JavaScript, `function (event) { … }`, in the sandbox of a user-code thread; returns zero or more events. */
export const fn: NodeFactory = (ctx) => {
  const config = configOf(functionNode, ctx);
  const pool = ctx.userCode;
  const handle = pool.register({ kind: 'script', source: config.code, params: ['event'], timeoutMs: config.timeoutMs, memoryMb: config.memoryMb }, ctx.flowId);
  return {
    handleBatch: async (events) => {
      const { results } = await pool.run(handle, { op: 'call', args: events.map((event) => [event]) });
      return results.map(answerOf);
    },
    stop: () => pool.release(handle),
  };
};

function answerOf(result: ItemResult): BatchAnswer {
  if (!result.ok) return failureOf(result);
  try {
    return toEmits(result.value, 'the returned event');
  } catch (error) {
    return error instanceof NodeFailure ? error : new NodeFailure('invalid_result', String(error));
  }
}

export const failureOf = ({ failure }: Extract<ItemResult, { ok: false }>): NodeFailure => new NodeFailure(failure.code, failure.message, failure.details);
