/**
 * The replay source of a re-drive (run.ts's `ReplaySource`): its graph and fed inputs come from the plan
 * (redrive-plan.ts), made once the revision is compiled; its originals are what the log holds of the same chains
 * after the failing node — the outputs of that node and of the nodes after it, stemming from the input — leaving out
 * the dead letters being re-driven and earlier re-drive outcomes, which are records, not outputs. So a first dry-run
 * lists what the revision derives as extra outputs, and one after a live re-drive finds them identical.
 */
import type { StoredEvent } from '../../shared/event.js';
import type { RuntimeGraph } from '../compiler/compile.js';
import { type EventStore, readPages } from '../store/index.js';
import { redrivePlan, type RedriveEntry, type RedrivePlan } from './redrive-plan.js';
import type { ReplaySource } from './run.js';

/** The stream of re-drive outcomes. */
export const REDRIVE_STREAM = '$redrive';

/** The note every re-drive's status carries. */
export const REDRIVE_NOTE = 're-drive of dead letters: each input starts at the node that failed on it, by the wire it arrived by';

export class RedriveSource implements ReplaySource {
  readonly notes = [REDRIVE_NOTE];
  /** Set when the replay compiles the revision. */
  plan: RedrivePlan | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly flowId: string,
    private readonly entries: readonly RedriveEntry[],
  ) {}

  graph(compiled: RuntimeGraph): RuntimeGraph {
    this.plan = redrivePlan(compiled, this.entries);
    return this.plan.graph;
  }

  async *inputs(): AsyncIterable<StoredEvent[]> {
    if (this.plan && this.plan.fed.length > 0) yield this.plan.fed;
  }

  async *originals(roots: Map<string, number>, firstInputPosition: number): AsyncIterable<{ event: StoredEvent; root: number }[]> {
    const reach = this.plan?.reach ?? new Map<string, Set<string>>();
    const letters = new Set(this.entries.map((e) => e.deadLetter.id));
    /** Per kept event: the input its chain starts at. */
    const inputOf = new Map<string, string>([...roots.keys()].map((id) => [id, id]));
    for await (const page of readPages(this.store, { flowId: this.flowId, after: firstInputPosition - 1 })) {
      const originals: { event: StoredEvent; root: number }[] = [];
      for (const event of page) {
        if (event.causationId === null || event.nodeId === null) continue;
        const input = inputOf.get(event.causationId);
        if (input === undefined || letters.has(event.id) || event.stream === REDRIVE_STREAM) continue;
        if (!reach.get(input)?.has(event.nodeId)) continue;
        inputOf.set(event.id, input);
        originals.push({ event, root: roots.get(input)! });
      }
      if (originals.length > 0) yield originals;
    }
  }
}
