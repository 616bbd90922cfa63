/**
 * Node counters that outlive a run: each run's in, out and error totals are saved beside its checkpoint (a snapshot
 * record of their own, written by the checkpoint's timer at most once a second and only when a total moved, and at
 * the end of a run) and a new run of the flow — after a restart or a deploy — starts its nodes from them. A run that
 * dies loses what it counted since the last save, and counts again what it then handles again: the totals are
 * about a second off at worst, never reset to zero. (The store keeps a bounded history of each snapshot key, so a
 * save is a few small writes: hence the second between them.)
 */
import type { NodeCounters } from '../../shared/api/flows.js';
import type { EventStore } from '../store/index.js';

export const totalsKey = (runKey: string) => `counters:${runKey}`;

/** The least time between two saves while a run lasts. */
export const TOTALS_EVERY_MS = 1000;

type Totals = Record<string, Pick<NodeCounters, 'in' | 'out' | 'errors'>>;

interface Counted {
  readonly counters: NodeCounters;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export class CounterTotals {
  /** The sum of every total saved last, to skip a save when nothing moved. */
  private savedSum = -1;
  private savedAt = 0;

  constructor(
    private readonly store: Pick<EventStore, 'loadSnapshot' | 'saveSnapshot'>,
    private readonly runKey: string,
  ) {}

  /** Adds the saved totals to the nodes that still exist (a node removed since has its totals dropped). */
  async restore(nodes: ReadonlyMap<string, Counted>): Promise<void> {
    const saved = (await this.store.loadSnapshot(totalsKey(this.runKey)))?.state as Totals | undefined;
    for (const [id, totals] of Object.entries(saved && typeof saved === 'object' ? saved : {})) {
      const counters = nodes.get(id)?.counters;
      if (!counters || !isCount(totals.in) || !isCount(totals.out) || !isCount(totals.errors)) continue;
      counters.in += totals.in;
      counters.out += totals.out;
      counters.errors += totals.errors;
    }
    this.savedSum = sumOf(nodes);
  }

  /** Saves the totals at `position` (the checkpoint) if any moved since the last save (and, but at the end, a second has passed). */
  async save(nodes: ReadonlyMap<string, Counted>, position: number, final: boolean): Promise<void> {
    if (!final && Date.now() - this.savedAt < TOTALS_EVERY_MS) return;
    const sum = sumOf(nodes);
    if (sum === this.savedSum) return;
    this.savedAt = Date.now();
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
