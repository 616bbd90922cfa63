import type { NodeFactory } from '../node.js';

/**
 * Events published to /api/events whose type matches enter the flow: the flow runtime routes them from the
 * store, so the node itself has nothing to run.
 */
export const httpIn: NodeFactory = () => ({});
