/**
 * Saving where a run stands: the flow's checkpoint and the snapshots of nodes with state (actors). What to save is
 * decided as a plan — pure, from the nodes and the progress — and then carried out. The checkpoint saved is the
 * progress's gap-free prefix (never below where the run resumed from), written only when it moved. A node's
 * snapshot is due every `snapshotEvery` inputs (default 100) and at the end of a run; its state and the position
 * it is filed under are read in the same turn, and a restart replays from that position what the state may lack.
 */
import type { CompiledNode } from '../compiler/compile.js';
import type { EventStore, Snapshot } from '../store/index.js';
import type { NodeHandler } from './node.js';

export const checkpointKey = (flowId: string) => `flow:${flowId}`;
export const snapshotKey = (flowId: string, nodeId: string) => `actor:${flowId}:${nodeId}`;

const DEFAULT_SNAPSHOT_EVERY = 100;

/** What a save reads of a node. */
export interface SnapshotSubject {
  readonly node: CompiledNode;
  readonly handler: NodeHandler;
  /** Inputs handled since its last snapshot: the save that takes one sets it back to 0. */
  handledSinceSnapshot: number;
}

export interface SavePlan {
  /** Each with the node it was taken of. */
  snapshots: { subject: SnapshotSubject; snapshot: Snapshot }[];
  /** The flow's checkpoint to write, or null when it stands where it was saved last. */
  checkpoint: number | null;
}

export interface Standing {
  /** The progress's gap-free prefix now. */
  progress: number;
  /** Where this run resumed from: the checkpoint never goes below it. */
  resumeFrom: number;
  /** The checkpoint saved last. */
  saved: number;
}

/** What to save now: the snapshots that are due (all of them at the end of a run) and the checkpoint if it moved. */
export function savePlan(flowId: string, subjects: Iterable<SnapshotSubject>, standing: Standing, final: boolean): SavePlan {
  const snapshots: SavePlan['snapshots'] = [];
  for (const subject of subjects) {
    const { handler, node } = subject;
    if (!handler.snapshot) continue;
    const every = (node.config as { snapshotEvery?: number }).snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
    if (final || subject.handledSinceSnapshot >= every) {
      snapshots.push({ subject, snapshot: { key: snapshotKey(flowId, node.id), state: handler.snapshot(), position: standing.progress } });
    }
  }
  const checkpoint = Math.max(standing.progress, standing.resumeFrom);
  return { snapshots, checkpoint: checkpoint === standing.saved ? null : checkpoint };
}

/** A run's saves: carries out plans, remembers what it saved, and saves on a timer while the run lasts. */
export class CheckpointSaver {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Pick<EventStore, 'saveSnapshot' | 'setCheckpoints'>,
    private readonly flowId: string,
    /** The checkpoint saved last. */
    public saved: number,
  ) {}

  /** Saves the plan's snapshots, then its checkpoint. */
  async carryOut(plan: SavePlan): Promise<void> {
    for (const { subject } of plan.snapshots) subject.handledSinceSnapshot = 0;
    for (const { snapshot } of plan.snapshots) await this.store.saveSnapshot(snapshot);
    if (plan.checkpoint !== null) {
      await this.store.setCheckpoints({ [checkpointKey(this.flowId)]: plan.checkpoint });
      this.saved = plan.checkpoint;
    }
  }

  /** Calls `save` every `intervalMs` until `stop`; a save that fails is reported and the next tick tries again. */
  every(intervalMs: number, save: () => Promise<void>, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => void save().catch(onError), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
