import { debugSink } from '../../../shared/nodes/sinks.js';
import type { NodeFactory } from '../node.js';
import { configOf } from './config.js';

export const debug: NodeFactory = (ctx) => {
  const config = configOf(debugSink, ctx);
  return {
    handle: (event, io) => {
      if (config.active) io.debug(event);
      return [];
    },
  };
};
