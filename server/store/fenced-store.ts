/**
 * The store as one cluster partition's run sees it: the same store, but its checkpoints and snapshots carry the
 * partition's fence, so they are refused once another replica holds the lease (cluster.ts).
 */
import type { ClusterRepository, Fence } from './cluster.js';
import type { EventStore, Snapshot } from './types.js';

export function fencedStore(store: EventStore & { cluster: ClusterRepository }, fence: Fence): EventStore {
  const cluster = store.cluster;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'setCheckpoints') return (checkpoints: Record<string, number>) => cluster.setCheckpointsFenced(fence, checkpoints);
      if (property === 'saveSnapshot') return (snapshot: Snapshot) => cluster.saveSnapshotFenced(fence, snapshot);
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
