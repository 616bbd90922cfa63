/**
 * Snapshot history: besides the latest snapshot of each key, the store keeps the newest `keep` snapshots written
 * under it, each filed by the position it covers. A replay reads the latest one at or before a position to start an
 * actor from the state it had then, instead of from its initial state (replay/actor-origins.ts). The SQL stores keep
 * it with a trigger on their snapshots table; the memory store with this class.
 */
import type { Snapshot } from './types.js';

/** Snapshots kept per key unless the configuration says otherwise (`store.snapshotHistory`). */
export const DEFAULT_SNAPSHOT_HISTORY = 100;

export class SnapshotHistory {
  /** Per key, ascending by position. */
  private readonly byKey = new Map<string, Snapshot[]>();

  constructor(public keep = DEFAULT_SNAPSHOT_HISTORY) {}

  add(snapshot: Snapshot): void {
    const kept = this.byKey.get(snapshot.key) ?? [];
    this.byKey.set(snapshot.key, kept);
    const at = kept.findIndex((s) => s.position >= snapshot.position);
    if (at === -1) kept.push(snapshot);
    else if (kept[at]!.position === snapshot.position) kept[at] = snapshot;
    else kept.splice(at, 0, snapshot);
    if (kept.length > this.keep) kept.splice(0, kept.length - this.keep);
  }

  /** The latest kept snapshot of `key` filed at or before `position`. */
  at(key: string, position: number): Snapshot | null {
    const kept = this.byKey.get(key) ?? [];
    for (let i = kept.length - 1; i >= 0; i--) if (kept[i]!.position <= position) return kept[i]!;
    return null;
  }
}
