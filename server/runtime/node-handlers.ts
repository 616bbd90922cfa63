/**
 * The handlers of a flow's nodes for one run, made by their node types' factories. A node with state (an actor)
 * starts from its snapshot, and the log is then read from the snapshot's position if that lies before the
 * checkpoint, so the state misses nothing; a node without a snapshot yet gets one at the checkpoint, holding its
 * initial state.
 */
import type { CompiledNode, RuntimeGraph } from '../compiler/compile.js';
import type { EventStore } from '../store/index.js';
import { snapshotKey } from './checkpoints.js';
import type { KeyOrigin } from './key-origin.js';
import type { NodeHandler, RecordedEffect } from './node.js';
import { NODE_RUNTIMES } from './nodes/index.js';
import type { ProcessClocks } from './process-clocks.js';
import type { UserCodePool } from './user-code/pool.js';

export interface HandlerSetup {
  store: Pick<EventStore, 'loadSnapshot' | 'saveSnapshot'>;
  clocks: ProcessClocks;
  userCode: UserCodePool;
  recordEffect?: ((effect: RecordedEffect) => void) | undefined;
  /** Keys an actor node keeps in memory at most; default no bound. */
  maxLiveKeys?: number | undefined;
  /** Replays: where actor keys start (key-origin.ts). */
  keyOrigin?: KeyOrigin | undefined;
}

/** Each node with its handler, in document order; and the position to read the log after. */
export async function startHandlers(
  graph: Pick<RuntimeGraph, 'nodes'>,
  flowId: string,
  checkpoint: number,
  setup: HandlerSetup,
  /** What the run stores its snapshots under (partitions.ts); the flow's id when the flow is not split. */
  runKey = flowId,
): Promise<{ handlers: [CompiledNode, NodeHandler][]; scanFrom: number }> {
  const { store, clocks, userCode, recordEffect, maxLiveKeys, keyOrigin } = setup;
  const handlers: [CompiledNode, NodeHandler][] = [];
  let scanFrom = checkpoint;
  for (const node of graph.nodes.values()) {
    const factory = NODE_RUNTIMES[node.type];
    if (!factory) throw new Error(`node type "${node.type}" cannot run in this runtime`);
    const handler = await factory({ node, flowId, userCode, snapshots: store, ...(recordEffect ? { recordEffect } : {}), ...(maxLiveKeys ? { maxLiveKeys } : {}), ...(keyOrigin ? { keyOrigin } : {}) });
    if (handler.snapshot) {
      const snap = await store.loadSnapshot(snapshotKey(runKey, node.id));
      if (snap) {
        handler.restore?.(snap.state);
        scanFrom = Math.min(scanFrom, snap.position);
      } else {
        await store.saveSnapshot({ key: snapshotKey(runKey, node.id), state: handler.snapshot(), position: checkpoint });
      }
    }
    // Loaded before the node stamps anything: deriving then never waits for the store.
    await clocks.ensure(node.process);
    handlers.push([node, handler]);
  }
  return { handlers, scanFrom };
}
