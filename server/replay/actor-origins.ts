/**
 * Where a replay's actor keys start: the state each had live just before its first replayed input. That point is the
 * live position of the original of the first event the replay folds for the key (derived ids are deterministic, so
 * the replayed event has its original's id), or, when the replayed revision derives something new, the position of
 * the first replayed input. The state comes from the snapshot history (store/snapshot-history.ts): the node's
 * snapshots (one per partition run when the flow was split), and a passivated key's own record, the latest kept
 * whose entry for the key lies before that point. The actor then folds the key's live inputs between (nodes/actor-
 * start.ts), found by the paths into the node in the replayed revision (input-paths.ts).
 *
 * With nothing kept that early the key starts from its initial state and every live input before the point is
 * folded: exact, only slower. The inputs between are folded with the replayed revision's reducer: the state before
 * the range is the one the snapshot holds plus what that reducer makes of the few inputs since.
 */
import type { StoredEvent } from '../../shared/event.js';
import type { RuntimeGraph } from '../compiler/compile.js';
import { snapshotKey } from '../runtime/checkpoints.js';
import type { KeyOrigin, KeyStart } from '../runtime/key-origin.js';
import { keyRecordOf, type ActorSnapshot, type KeyState as KeyBase } from '../runtime/live-keys.js';
import { runKeyOf } from '../runtime/partitions.js';
import { readPages, type EventStore } from '../store/index.js';
import { sharedUserCodePool, type UserCodePool } from '../runtime/user-code/pool.js';
import { InputPaths } from './input-paths.js';

/** The most partitions probed for snapshots (the configuration allows no more). */
const MAX_PARTITIONS = 4096;

/** Of one snapshot of the node: the row as filed, and what it holds. */
interface Kept {
  position: number;
  snapshot: ActorSnapshot;
}

export class ActorOrigins implements KeyOrigin {
  /** Per node: the latest kept snapshot of each of its runs filed before the replay's first input. */
  private readonly kept = new Map<string, Promise<{ runKey: string; kept: Kept }[]>>();

  private readonly paths: InputPaths;

  constructor(
    /** The live namespace. */
    private readonly live: EventStore,
    graph: Pick<RuntimeGraph, 'nodes' | 'outgoing'>,
    private readonly flowId: string,
    /** The live position of the first replayed input. */
    private readonly firstInput: number,
    userCode: UserCodePool = sharedUserCodePool(),
  ) {
    this.paths = new InputPaths(graph, flowId, userCode);
  }

  async startsOf(nodeId: string, firsts: ReadonlyMap<string, StoredEvent>): Promise<Map<string, KeyStart>> {
    const runs = await this.keptOf(nodeId);
    const passivated = runs.some((r) => r.kept.snapshot.passivated === true);
    const starts = new Map<string, KeyStart>();
    for (const [key, event] of firsts) {
      const original = await this.live.get(event.id, { source: event.source });
      const before = original?.position ?? this.firstInput;
      let base: KeyBase | null = null;
      // A key in no snapshot had no input up to the position that snapshot is filed under (all before it were handled).
      let absentUpTo = runs.length > 0 ? Infinity : 0;
      for (const run of runs) {
        const found = await this.entryBefore(nodeId, run.runKey, run.kept, key, before);
        if (typeof found === 'number') absentUpTo = Math.min(absentUpTo, found);
        else base = later(base, found);
      }
      if (passivated) base = later(base, await this.recordBefore(nodeId, key, before));
      const after = base ? base.position : absentUpTo === Infinity ? 0 : absentUpTo;
      starts.set(key, { base: base && { state: base.state, stopped: base.stopped }, after, before });
    }
    return starts;
  }

  async *inputsOf(nodeId: string, after: number, before: number): AsyncIterable<StoredEvent[]> {
    for await (const page of readPages(this.live, { after })) {
      const ended = page[page.length - 1]!.position >= before;
      const inputs = await this.paths.reaching(nodeId, ended ? page.filter((e) => e.position < before) : page);
      if (inputs.length > 0) yield inputs;
      if (ended) return;
    }
  }

  /** Stops the pass-through nodes asked about inputs. */
  close(): void {
    this.paths.close();
  }

  /** The node's runs (the flow, or each of its partitions) with their latest snapshot filed before the first input. */
  private keptOf(nodeId: string): Promise<{ runKey: string; kept: Kept }[]> {
    let found = this.kept.get(nodeId);
    if (!found) this.kept.set(nodeId, (found = this.findKept(nodeId)));
    return found;
  }

  private async findKept(nodeId: string): Promise<{ runKey: string; kept: Kept }[]> {
    const runKeys = [this.flowId];
    // Every run of an actor files a snapshot when it starts, so the partitions a split flow had are those with one.
    for (let index = 0; index < MAX_PARTITIONS; index++) {
      const runKey = runKeyOf(this.flowId, { index, count: MAX_PARTITIONS });
      if (!(await this.live.loadSnapshot(snapshotKey(runKey, nodeId)))) break;
      runKeys.push(runKey);
    }
    const runs: { runKey: string; kept: Kept }[] = [];
    for (const runKey of runKeys) {
      const kept = await this.keptAt(snapshotKey(runKey, nodeId), this.firstInput - 1);
      if (kept) runs.push({ runKey, kept });
    }
    return runs;
  }

  private async keptAt(key: string, position: number): Promise<Kept | null> {
    const row = await this.live.loadSnapshotAt(key, position);
    return row ? { position: row.position, snapshot: (row.state ?? { keys: {} }) as ActorSnapshot } : null;
  }

  /**
   * The key's entry in the run's latest snapshot whose entry for it lies before `before`, or, when the key is in none,
   * the position of the snapshot that lacks it. A snapshot may hold inputs past the position it is filed under; when
   * the key's are past `before`, an earlier one is read.
   */
  private async entryBefore(nodeId: string, runKey: string, first: Kept, key: string, before: number): Promise<KeyBase | number> {
    let kept: Kept | null = first;
    for (; kept; kept = await this.keptAt(snapshotKey(runKey, nodeId), kept.position - 1)) {
      const entry = Object.hasOwn(kept.snapshot.keys ?? {}, key) ? kept.snapshot.keys[key] : undefined;
      if (!entry) return kept.position;
      if (entry.position < before) return entry;
    }
    return 0;
  }

  /** A passivated key's own record, the latest kept before `before`. */
  private async recordBefore(nodeId: string, key: string, before: number): Promise<KeyBase | null> {
    const row = await this.live.loadSnapshotAt(keyRecordOf(this.flowId, nodeId, key), before - 1);
    const held = row?.state as { key?: string; state?: unknown; stopped?: boolean } | undefined;
    if (!row || held?.key !== key) return null;
    return { state: held.state, stopped: held.stopped === true, position: row.position };
  }
}

/** Of two kept states of a key, the one with more folded in. */
const later = (a: KeyBase | null, b: KeyBase | null): KeyBase | null => (a === null ? b : b === null || a.position >= b.position ? a : b);
