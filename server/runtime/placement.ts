/**
 * What an engine in a cluster is told from outside: who runs its deployed flows (a placement, the cluster's
 * coordinator), and what each run it starts for the placement is given — the lease's fenced store, clocks of its own,
 * its partition, and the replica's process, which every node of the run stamps its events as.
 */
import type { FlowStatus } from '../../shared/api/flows.js';
import type { RuntimeGraph } from '../compiler/compile.js';
import type { EventStore } from '../store/index.js';
import type { PartitionSpec } from './partitions.js';
import type { ProcessClocks } from './process-clocks.js';

/** Who runs deployed flows, when it is not simply this engine. */
export interface FlowPlacement {
  /** A flow's deployment was recorded (deployed, redeployed or stopped): run or stop it where it belongs. */
  deploymentChanged(flowId: string): Promise<void>;
  /** The status of a flow that runs on another replica, when it is known. */
  statusElsewhere(flowId: string): FlowStatus | null;
  /** What each other replica last said it runs: its flows' statuses, by replica. */
  replicasElsewhere(): ReplicaStatus[];
}

/** The flows one replica runs, with their statuses there. */
export interface ReplicaStatus {
  process: string;
  flows: Record<string, FlowStatus>;
}

/** What a run is given in a cluster: the store with its lease's fence, its own clocks, its partition and process. */
export interface RunContext {
  store: EventStore;
  clocks: ProcessClocks;
  partition?: PartitionSpec;
  /** The process every node of the run stamps its events as: the replica's, so each clock entry has one writer. */
  process?: string;
}

/** The graph with every node stamping its events as `process`. */
export function stampedAs(graph: RuntimeGraph, process: string): RuntimeGraph {
  return { ...graph, nodes: new Map([...graph.nodes].map(([id, node]) => [id, { ...node, process }])) };
}
