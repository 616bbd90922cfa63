/**
 * A view of the event store confined to one namespace, for a replay's isolated runtime: its appends, reads,
 * subscriptions and clocks stay in the replay namespace, and its checkpoints and snapshots carry the namespace
 * in their keys, so nothing it does is seen by the live bus. Flows and replays are read-only through it.
 */
import type { EventStore, FlowRepository, ReplayRepository } from '../store/index.js';

const readOnlyFlows = (flows: FlowRepository): FlowRepository => ({
  create: () => Promise.reject(new Error('a replay cannot create flows')),
  update: () => Promise.reject(new Error('a replay cannot change flows')),
  delete: () => Promise.reject(new Error('a replay cannot delete flows')),
  get: (id) => flows.get(id),
  list: () => flows.list(),
  revisions: (id) => flows.revisions(id),
  revision: (id, revision) => flows.revision(id, revision),
  // A replay's runtime records no deployment: the live flow's deployment stays as it is.
  setDeployment: () => Promise.resolve(),
  deployments: () => Promise.resolve([]),
});

const readOnlyReplays = (replays: ReplayRepository): ReplayRepository => ({
  save: () => Promise.reject(new Error('a replay cannot save replays')),
  get: (id) => replays.get(id),
  list: (options) => replays.list(options),
});

export function namespacedStore(store: EventStore, namespace: string): EventStore {
  const key = (k: string) => `${namespace}:${k}`;
  return {
    kind: store.kind,
    flows: readOnlyFlows(store.flows),
    replays: readOnlyReplays(store.replays),
    append: (events) => store.append(events, { namespace }),
    read: (options = {}) => store.read({ ...options, namespace }),
    readStream: (stream, fromVersion, options = {}) => store.readStream(stream, fromVersion, { ...options, namespace }),
    get: (id, options = {}) => store.get(id, { ...options, namespace }),
    head: () => store.head(),
    latestClock: (process) => store.latestClock(process, { namespace }),
    density: (query) => store.density({ ...query, namespace }),
    causality: (id, options = {}) => store.causality(id, { ...options, namespace }),
    saveSnapshot: (snapshot) => store.saveSnapshot({ ...snapshot, key: key(snapshot.key) }),
    loadSnapshot: async (k) => {
      const snapshot = await store.loadSnapshot(key(k));
      return snapshot ? { ...snapshot, key: k } : null;
    },
    loadSnapshotAt: async (k, position) => {
      const snapshot = await store.loadSnapshotAt(key(k), position);
      return snapshot ? { ...snapshot, key: k } : null;
    },
    getCheckpoint: (k) => store.getCheckpoint(key(k)),
    setCheckpoints: (checkpoints) => store.setCheckpoints(Object.fromEntries(Object.entries(checkpoints).map(([k, v]) => [key(k), v]))),
    subscribe: (options) => store.subscribe({ ...options, namespace }),
    dropNamespace: (ns) => store.dropNamespace(ns),
    close: () => Promise.resolve(),
  };
}
