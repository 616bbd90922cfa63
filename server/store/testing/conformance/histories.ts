/**
 * Random distributed histories for the causality tests, and the brute-force answer they are checked against.
 *
 * A history starts well-formed (clocks built with tick and receive, as processes would) and is then made
 * irregular the ways a real store sees it: some events never arrive (gaps in a process's own counters), some
 * arrive twice under a new id with the same clock (duplicate own counters), some are sent again with the same id
 * (idempotent retries), and they arrive shuffled, in batches of random size.
 */
import fc from 'fast-check';
import { compare, receive, tick, type VectorClock } from '../../../../shared/clock.js';
import type { EventDraft, StoredEvent } from '../../../../shared/event.js';
import type { CausalityResult } from '../../types.js';
import { draft } from '../fixtures.js';

/** A step of a random history: `process` makes a local event, or receives the event made at step `from`. */
interface Step {
  process: number;
  from: number | null;
  /** The event is never appended. */
  lost: boolean;
  /** The event is appended a second time under a new id, same process and clock. */
  copied: boolean;
  /** The event is appended a second time under the same id (a retry the store must ignore). */
  retried: boolean;
}

/** Events with well-formed clocks, then the irregular arrivals the steps ask for. */
function history(steps: Step[], processCount: number): EventDraft[] {
  const names = Array.from({ length: processCount }, (_, i) => `p${i}`);
  const clocks = new Map<string, VectorClock>();
  const made: EventDraft[] = [];
  const arriving: EventDraft[] = [];
  for (const step of steps) {
    const process = names[step.process % processCount]!;
    const local = clocks.get(process) ?? {};
    const source = step.from === null || made.length === 0 ? null : made[step.from % made.length]!;
    const clock = source && source.process !== process ? receive(local, source.vectorClock, process) : tick(local, process);
    clocks.set(process, clock);
    const event = draft({ process, vectorClock: clock, stream: process, causationId: source?.id ?? null });
    made.push(event);
    if (step.lost) continue;
    arriving.push(event);
    if (step.copied) arriving.push(draft({ process, vectorClock: clock, stream: process }));
    if (step.retried) arriving.push({ ...event });
  }
  return arriving;
}

/** True with probability `p`, as an arbitrary (so that fast-check can replay and shrink it). */
const chance = (p: number) => fc.integer({ min: 0, max: 99 }).map((n) => n < p * 100);

export interface RandomHistory {
  /** The events in the order they are appended. */
  arriving: EventDraft[];
  /** How many events go in one append call. */
  batch: number;
  /** The `limit` asked of `causality`. */
  limit: number;
}

/** A random history; with `shuffled` false its events arrive in the order they happened. */
export const historyArb = (shuffled: boolean) =>
  fc
    .record({
      processCount: fc.integer({ min: 1, max: 5 }),
      steps: fc.array(
        fc.record({
          process: fc.nat(),
          from: fc.option(fc.nat(), { freq: 2 }),
          lost: chance(0.15),
          copied: chance(0.15),
          retried: chance(0.1),
        }),
        { minLength: 1, maxLength: 30 },
      ),
      order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 90, maxLength: 90 }),
      batch: fc.integer({ min: 1, max: 8 }),
      limit: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant(1000)),
    })
    .map(({ processCount, steps, order, batch, limit }): RandomHistory => {
      const events = history(steps, processCount);
      const arriving = shuffled
        ? events.map((e, i) => ({ e, key: order[i]! })).sort((a, b) => a.key - b.key).map((x) => x.e)
        : events;
      return { arriving, batch, limit };
    });

/** The causal past and future of `target` among `stored` by comparing vector clocks with every event. */
export function bruteForceCausality(stored: StoredEvent[], target: StoredEvent, limit: number): CausalityResult {
  const byPosition = [...stored].sort((a, b) => a.position - b.position);
  const others = byPosition.filter((f) => f.id !== target.id);
  const past = others.filter((f) => compare(f.vectorClock, target.vectorClock) === 'before');
  const future = others.filter((f) => compare(f.vectorClock, target.vectorClock) === 'after');
  return {
    event: target,
    past: past.reverse().slice(0, limit),
    future: future.slice(0, limit),
    pastCount: past.length,
    futureCount: future.length,
    concurrent: others.length - past.length - future.length,
  };
}
