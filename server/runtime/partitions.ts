/**
 * A flow split into partitions, as a cluster runs it: each run handles the chains of one partition. A chain's
 * partition is decided once, on the event that starts it (an outside event, or one a source of the flow produced),
 * by the flow's partition key: its own `partitionKey` when it sets one, else the key of its first actor (so that one
 * actor key is always in one partition), else the event's process (its device). Every event a run derives carries
 * its partition in `metadata.partition`, so the chain stays where it began. Runs store what they keep under a key of
 * their own (`runKeyOf`), so a partition moves between replicas whole: checkpoint, crash marks and actor snapshots.
 */
import type { StoredEvent } from '../../shared/event.js';
import type { RuntimeGraph } from '../compiler/compile.js';
import { compileExpression, keyOf, type Expression } from './expressions.js';
import type { MaybePromise } from './maybe-promise.js';
import { NodeFailure } from './node.js';
import type { UserCodePool } from './user-code/pool.js';

export interface PartitionSpec {
  index: number;
  count: number;
}

/** What a run stores under: the flow's id alone when the flow is not split, so a run alone keeps today's keys. */
export const runKeyOf = (flowId: string, partition?: PartitionSpec): string =>
  partition && partition.count > 1 ? `${flowId}~p${partition.index}` : flowId;

/** FNV-1a of a text, as an unsigned 32-bit number: every replica computes the same. */
export function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The partition of a key. */
export const partitionOf = (key: string, count: number): number => hashOf(key) % count;

/** Which events of a batch belong to one partition's run. */
export class PartitionFilter {
  private readonly key: Expression | null;
  private readonly sources: ReadonlySet<string>;

  constructor(
    private readonly graph: Pick<RuntimeGraph, 'flowId' | 'nodes' | 'partitionKey'>,
    private readonly spec: PartitionSpec,
    pool: UserCodePool,
  ) {
    const source = graph.partitionKey ?? firstActorKey(graph);
    this.key = source ? compileExpression(source, pool, graph.flowId ?? undefined) : null;
    this.sources = new Set([...graph.nodes.values()].filter((n) => n.kind === 'source').map((n) => n.id));
  }

  /** For each event, whether this partition handles it; at once when no key needs a user-code thread. */
  owned(events: readonly StoredEvent[]): MaybePromise<boolean[]> {
    const starts: StoredEvent[] = [];
    const out = new Array<boolean>(events.length);
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      if (this.startsChain(event)) starts.push(event);
      else out[i] = partitionMark(event) === this.spec.index;
    }
    if (starts.length === 0) return out;
    const fill = (keys: unknown[]) => {
      let j = 0;
      for (let i = 0; i < events.length; i++) {
        if (out[i] !== undefined) continue;
        out[i] = this.partitionOfStart(starts[j]!, keys[j]) === this.spec.index;
        j++;
      }
      return out;
    };
    if (!this.key) return fill(starts.map((e) => e.process));
    const keys = this.key.evaluateAll(starts);
    return keys instanceof Promise ? keys.then(fill) : fill(keys);
  }

  /** The positions of the events that enter the flow (`enters`) in another partition: another run handles them. */
  async othersAmong(events: readonly StoredEvent[], enters: (event: StoredEvent) => boolean): Promise<Set<number>> {
    const entering = events.filter(enters);
    const owned = await this.owned(entering);
    const others = new Set<number>();
    for (let i = 0; i < entering.length; i++) if (!owned[i]) others.add(entering[i]!.position);
    return others;
  }

  release(): void {
    this.key?.release();
  }

  private startsChain(event: StoredEvent): boolean {
    return event.flowId !== this.graph.flowId || (event.nodeId !== null && this.sources.has(event.nodeId));
  }

  /** A key the expression failed on, or gave nothing for, falls back to the event's process: still one partition. */
  private partitionOfStart(event: StoredEvent, key: unknown): number {
    const usable = key !== undefined && key !== null && !(key instanceof NodeFailure);
    return partitionOf(usable ? keyOf(key) : event.process, this.spec.count);
  }
}

/** The key expression of the flow's first actor, if it has one. */
function firstActorKey(graph: Pick<RuntimeGraph, 'nodes'>): string | undefined {
  const actor = [...graph.nodes.values()].find((n) => n.type === 'actor');
  return actor ? (actor.config as { key?: string }).key : undefined;
}

/** The partition a derived event carries; 0 for one that carries none (made before the flow was split). */
function partitionMark(event: StoredEvent): number {
  const p = event.metadata.partition;
  return typeof p === 'number' ? p : 0;
}
