/**
 * Re-driving dead letters: the inputs nodes failed on, run again through a chosen revision, as a replay of those
 * inputs (listed with the replays, its diff on the replay page). Where each starts, and why, is redrive-plan.ts's
 * header; what is compared, redrive-source.ts's.
 *
 * A dry-run stops at the replay: its diff and each entry's outcome, nothing written to the live log. A live one
 * runs its replay live (sinks send, as a live replay's do), then writes to the live log what each re-driven input's
 * chain derived, and one outcome record per entry (redrive-outcomes.ts). Nothing is deleted or changed: the dead
 * letters stay as they were, and the view shows the latest outcome beside each. Ids fixed by the inputs, nodes and
 * revision make a repeat store nothing twice.
 */
import type { RedriveEntry as EntryOutcome, RedriveResult } from '../../shared/api/deadletters.js';
import type { StoredEvent } from '../../shared/event.js';
import type { Flow } from '../../shared/flow.js';
import type { ProcessClocks } from '../runtime/process-clocks.js';
import { type EventStore, readPages } from '../store/index.js';
import { ChainCollector, liveDrafts, outcomeDraft, outcomesOf } from './redrive-outcomes.js';
import type { RedriveEntry } from './redrive-plan.js';
import { RedriveSource } from './redrive-source.js';
import type { ReplayRegistry } from './registry.js';

export interface RedriveDeps {
  store: EventStore;
  registry: ReplayRegistry;
  /** The live process clocks, which stamp what a live re-drive writes. */
  clocks: ProcessClocks;
}

export interface RedriveRun {
  flow: Flow;
  entries: RedriveEntry[];
  mode: 'dry-run' | 'live';
}

/** Runs the re-drive to its end and answers with each entry's outcome; a ReplayError when no replay may start. */
export async function redrive(deps: RedriveDeps, { flow, entries, mode }: RedriveRun): Promise<RedriveResult> {
  const { store, registry } = deps;
  const source = new RedriveSource(store, flow.id, entries);
  const run = await registry.start({ flowId: flow.id, revision: flow.revision, mode, speed: 'max' }, flow, source);
  const status = (await registry.finished(run.id)) ?? run.status();
  const letters = entries.map((e) => e.deadLetter);
  const base = { flowId: flow.id, revision: flow.revision, mode, replay: status };
  const plan = source.plan;
  if (status.state !== 'done' || !plan) {
    const error = { code: 'replay_failed', message: status.error ?? `the re-drive's replay ended ${status.state}` };
    return { ...base, entries: letters.map((l) => ({ deadLetterId: l.id, nodeId: l.nodeId, outcome: 'failed', error, outputs: [] })), stored: 0 };
  }

  const collector = new ChainCollector(plan.fed.map((e) => e.id));
  for await (const page of readPages(store, { namespace: run.namespace })) collector.take(page);
  const outcomes = outcomesOf(letters, plan, collector.chains);
  if (mode === 'dry-run') return { ...base, entries: outcomes, stored: 0 };
  const stored = await storeLive(deps, { entries, outcomes, chains: collector.chains, inputOf: plan.inputOf, revision: flow.revision, replayId: run.id });
  return { ...base, entries: outcomes, stored };
}

interface LiveWrite {
  entries: RedriveEntry[];
  outcomes: EntryOutcome[];
  chains: ReadonlyMap<string, { derived: StoredEvent[]; failure: StoredEvent | null }>;
  inputOf: ReadonlyMap<string, string>;
  revision: number;
  replayId: string;
}

/**
 * Writes what the re-driven inputs derived (once per input, though several of its letters were chosen) and every
 * entry's outcome record, leaving out what the log already has; answers how many events it stored.
 */
async function storeLive({ store, clocks }: RedriveDeps, write: LiveWrite): Promise<number> {
  const written = new Set<string>();
  const chosen: { entry: RedriveEntry; outcome: EntryOutcome }[] = write.entries.map((entry, i) => ({ entry, outcome: write.outcomes[i]! }));
  const candidates: { id: string; process: string }[] = [];
  for (const { entry, outcome } of chosen) {
    const inputId = write.inputOf.get(entry.deadLetter.id);
    if (outcome.outcome === 'redriven' && inputId && !written.has(inputId)) {
      written.add(inputId);
      for (const e of write.chains.get(inputId)!.derived) candidates.push({ id: e.id, process: e.process });
    }
  }
  const present = new Set<string>();
  for (const { id } of candidates) if (await store.get(id)) present.add(id);
  const processes = new Set([...candidates.map((c) => c.process), ...chosen.map((c) => c.entry.deadLetter.process)]);
  await clocks.ensureAll(processes);
  // Stamped and appended without a turn in between: no other stamping of these processes comes between (process-clocks.ts).
  const stamp = (process: string, clock: Parameters<ProcessClocks['receive']>[1]) => clocks.receive(process, clock);
  const drafts = [];
  const done = new Set<string>();
  for (const { entry, outcome } of chosen) {
    const inputId = write.inputOf.get(entry.deadLetter.id);
    if (outcome.outcome === 'redriven' && inputId && !done.has(inputId)) {
      done.add(inputId);
      const chain = write.chains.get(inputId)!;
      const fresh = { ...chain, derived: chain.derived.filter((e) => !present.has(e.id)) };
      drafts.push(...liveDrafts(entry.input, fresh, write.replayId, stamp));
    }
  }
  const records = [];
  for (const { entry, outcome } of chosen) {
    const record = outcomeDraft(entry.deadLetter, outcome, write.revision, write.replayId, stamp);
    if (!(await store.get(record.id))) records.push(record);
  }
  if (drafts.length + records.length === 0) return 0;
  const results = await store.append([...drafts, ...records]);
  return results.filter((r) => !r.duplicate).length;
}
