/**
 * The store as one cluster partition's run sees it: the same store, but its appends, checkpoints and snapshots carry
 * the partition's fence, so they are refused once another replica holds the lease (cluster.ts).
 */
import type { EventDraft } from '../../shared/event.js';
import type { ClusterRepository, Fence } from './cluster.js';
import { StoreError, type AppendOptions, type AppendResult, type EventStore, type Snapshot } from './types.js';

/** A write refused because the fence no longer holds. */
export function fencedError(fence: Fence): StoreError {
  return new StoreError('fenced', `flow ${fence.flowId} partition ${fence.partition}: the lease of ${fence.owner} (epoch ${fence.epoch}) was taken over`, { ...fence });
}

/** A store whose appends can carry a partition's fence: such an append is refused whole once the fence no longer holds. */
export interface FencedAppends {
  appendFenced(fence: Fence, drafts: EventDraft[], options?: AppendOptions): Promise<AppendResult[]>;
}

/** A store replicas can share (PostgreSQL): its cluster state and fenced appends. */
export type ClusterStore = EventStore & FencedAppends & { cluster: ClusterRepository };

export const isClusterStore = (store: EventStore): store is ClusterStore =>
  store.cluster !== undefined && typeof (store as Partial<FencedAppends>).appendFenced === 'function';

export function fencedStore(store: ClusterStore, fence: Fence): EventStore {
  const cluster = store.cluster;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'append') return (drafts: EventDraft[], options?: AppendOptions) => target.appendFenced(fence, drafts, options);
      if (property === 'setCheckpoints') return (checkpoints: Record<string, number>) => cluster.setCheckpointsFenced(fence, checkpoints);
      if (property === 'saveSnapshot') return (snapshot: Snapshot) => cluster.saveSnapshotFenced(fence, snapshot);
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
