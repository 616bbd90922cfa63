/**
 * Node counters that outlive a run: each run's in, out and error totals are saved beside its checkpoint (a snapshot
 * record of their own, written by the checkpoint's timer only when a total moved, and at the end of a run) and a
 * new run of the flow — after a restart or a deploy — starts its nodes from them. A run that dies loses what it
 * counted since the last save, and counts again what it then handles again: the totals are as close as the
 * checkpoint, never far off, and never reset to zero.
 */
import type { NodeCounters } from '../../shared/api/flows.js';
import type { EventStore } from '../store/index.js';

export const totalsKey = (runKey: string) => `counters:${runKey}`;

type Totals = Record<string, Pick<NodeCounters, 'in' | 'out' | 'errors'>>;

interface Counted {
  readonly counters: NodeCounters;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export class CounterTotals {
  /** The sum of every total saved last, to skip a save when nothing moved. */
  private savedSum = -1;

  constructor(
    private readonly store: Pick<EventStore, 'loadSnapshot' | 'saveSnapshot'>,
    private readonly runKey: string,
  ) {}

  /** Adds the saved totals to the nodes that still exist (a node removed since has its totals dropped). */
  async restore(nodes: ReadonlyMap<string, Counted>): Promise<void> {
    const saved = (await this.store.loadSnapshot(totalsKey(this.runKey)))?.state as Totals | undefined;
    if (!saved || typeof saved !== 'object') return;
    for (const [id, totals] of Object.entries(saved)) {
      const counters = nodes.get(id)?.counters;
      if (!counters || !isCount(totals.in) || !isCount(totals.out) || !isCount(totals.errors)) continue;
      counters.in += totals.in;
      counters.out += totals.out;
      counters.errors += totals.errors;
    }
    this.savedSum = sumOf(nodes);
  }

  /** Saves the totals at `position` (the checkpoint) if any moved since the last save. */
  async save(nodes: ReadonlyMap<string, Counted>, position: number): Promise<void> {
    const sum = sumOf(nodes);
    if (sum === this.savedSum) return;
    const state: Totals = {};
    for (const [id, { counters }] of nodes) state[id] = { in: counters.in, out: counters.out, errors: counters.errors };
    await this.store.saveSnapshot({ key: totalsKey(this.runKey), state, position });
    this.savedSum = sum;
  }
}

/** Totals only grow, so their sum moves whenever one of them does. */
function sumOf(nodes: ReadonlyMap<string, Counted>): number {
  let sum = 0;
  for (const { counters } of nodes.values()) sum += counters.in + counters.out + counters.errors;
  return sum;
}
