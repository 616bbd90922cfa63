import { functionNode } from '../../../shared/nodes/handlers.js';
import { NodeFailure, type NodeFactory } from '../node.js';
import { createScript } from '../sandbox.js';
import { configOf } from './config.js';
import { toEmits } from './emissions.js';

/** User JavaScript, `function (event) { … }`, in the sandbox; returns zero or more events. */
export const fn: NodeFactory = async (ctx) => {
  const config = configOf(functionNode, ctx);
  const script = await createScript({ source: config.code, params: ['event'], timeoutMs: config.timeoutMs, memoryMb: config.memoryMb });
  return {
    handle: (event) => {
      const result = script.call(event);
      if (!result.ok) throw new NodeFailure(result.error.code, result.error.message, { line: result.error.line });
      return toEmits(result.value, 'the returned event');
    },
    stop: () => script.dispose(),
  };
};
