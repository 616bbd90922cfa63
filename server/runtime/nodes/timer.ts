import { timerSource } from '../../../shared/nodes/sources.js';
import type { NodeFactory } from '../node.js';
import { configOf } from './config.js';
import { every } from './every.js';

export const timer: NodeFactory = (ctx) => {
  const config = configOf(timerSource, ctx);
  let seq = 0;
  const loop = every(config.intervalMs);
  return {
    start: (io) =>
      loop.run(io, async () => {
        seq += 1;
        await io.produce([{ type: config.type, data: config.data ?? {}, source: `timer://${ctx.flowId}/${ctx.node.id}`, metadata: { seq } }]);
      }),
    stop: () => loop.stop(),
  };
};
