/**
 * Link nodes and a subflow's ports. `link-out` appends each event it takes to the stream `link/<name>` (a derived
 * event: same type, data and subject, caused by the input), and every running flow with a `link-in` of that name
 * takes it in, as routes.ts routes any event from the log. The subflow's own port nodes never run inside a flow that
 * uses the subflow (the compiler expands them away); deployed alone, the subflow's ports do nothing.
 */
import { linkStream } from '../../../shared/nodes/index.js';
import { linkOut as linkOutNode } from '../../../shared/nodes/subflows.js';
import type { NodeFactory } from '../node.js';
import { configOf } from './config.js';

export const linkOut: NodeFactory = (ctx) => {
  const stream = linkStream(configOf(linkOutNode, ctx).link);
  return {
    handle: (event) => [{ kind: 'emit', type: event.type, data: event.data, subject: event.subject, stream }],
  };
};

/** Events reach a link-in from the log (routes.ts): the node itself has nothing to run. */
export const linkIn: NodeFactory = () => ({});

export const subflowIn: NodeFactory = () => ({});

export const subflowOut: NodeFactory = () => ({ handle: () => [] });
