import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, receive, tick, type VectorClock } from '../../../shared/clock.js';
import type { EventDraft, StoredEvent } from '../../../shared/event.js';
import type { SuiteContext } from './context.js';
import { draft, ids } from './fixtures.js';

/** A step of a random history: `process` makes a local event, or receives the event made at step `from`. */
interface Step {
  process: number;
  from: number | null;
}

/** Events with well-formed clocks, built with tick and receive as processes would. */
function history(steps: Step[], processCount: number): EventDraft[] {
  const names = Array.from({ length: processCount }, (_, i) => `p${i}`);
  const clocks = new Map<string, VectorClock>();
  const events: EventDraft[] = [];
  for (const step of steps) {
    const process = names[step.process % processCount]!;
    const local = clocks.get(process) ?? {};
    const source = step.from === null || events.length === 0 ? null : events[step.from % events.length]!;
    const clock = source && source.process !== process ? receive(local, source.vectorClock, process) : tick(local, process);
    clocks.set(process, clock);
    events.push(draft({ process, vectorClock: clock, stream: process, causationId: source?.id ?? null }));
  }
  return events;
}

const historyArb = fc
  .record({
    processCount: fc.integer({ min: 1, max: 5 }),
    steps: fc.array(fc.record({ process: fc.nat(), from: fc.option(fc.nat(), { freq: 2 }) }), { minLength: 1, maxLength: 30 }),
    order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 30, maxLength: 30 }),
    batch: fc.integer({ min: 1, max: 8 }),
  })
  .map(({ processCount, steps, order, batch }) => {
    const events = history(steps, processCount);
    // Append in a shuffled order: a process's events need not arrive in counter order.
    const shuffled = events.map((e, i) => ({ e, key: order[i]! })).sort((a, b) => a.key - b.key).map((x) => x.e);
    return { shuffled, batch };
  });

const sortedIds = (events: { id: string }[]) => ids(events).sort();

let namespaceCounter = 0;

export function describeCausality(ctx: SuiteContext): void {
  describe('causality', () => {
    // sensor: s1 ──────────── s2
    //           \
    // main:      m1 ── m2 (local)
    //                    \
    // edge:   e1 ───────── e2 ── e3
    it('finds the causal past and future of an event and counts the concurrent ones', async () => {
      const store = ctx.store();
      const s1 = draft({ process: 'sensor', vectorClock: { sensor: 1 } });
      const s2 = draft({ process: 'sensor', vectorClock: { sensor: 2 } });
      const m1 = draft({ process: 'main', vectorClock: { sensor: 1, main: 1 } });
      const m2 = draft({ process: 'main', vectorClock: { sensor: 1, main: 2 } });
      const e1 = draft({ process: 'edge', vectorClock: { edge: 1 } });
      const e2 = draft({ process: 'edge', vectorClock: { edge: 2, main: 2, sensor: 1 } });
      const e3 = draft({ process: 'edge', vectorClock: { edge: 3, main: 2, sensor: 1 } });
      await store.append([s1, e1, m1, s2, m2, e2, e3]);

      const ofM1 = await store.causality(m1.id);
      expect(ofM1).toMatchObject({ event: { id: m1.id }, pastCount: 1, futureCount: 3, concurrent: 2 });
      expect(ids(ofM1!.past)).toEqual([s1.id]);
      expect(ids(ofM1!.future)).toEqual([m2.id, e2.id, e3.id]);

      const ofE2 = await store.causality(e2.id);
      expect(ids(ofE2!.past)).toEqual([m2.id, m1.id, e1.id, s1.id]);
      expect(ids(ofE2!.future)).toEqual([e3.id]);
      expect(ofE2!.concurrent).toBe(1);

      const ofS2 = await store.causality(s2.id);
      expect(ids(ofS2!.past)).toEqual([s1.id]);
      expect(ofS2!.future).toEqual([]);
      expect(ofS2).toMatchObject({ pastCount: 1, futureCount: 0, concurrent: 5 });
    });

    it('lists the past newest first and the future oldest first, at most limit of each, counting all', async () => {
      const store = ctx.store();
      const chain: EventDraft[] = [];
      for (let i = 1; i <= 9; i++) chain.push(draft({ process: 'solo', vectorClock: { solo: i } }));
      await store.append(chain);
      const result = await store.causality(chain[4]!.id, { limit: 2 });
      expect(ids(result!.past)).toEqual([chain[3]!.id, chain[2]!.id]);
      expect(ids(result!.future)).toEqual([chain[5]!.id, chain[6]!.id]);
      expect(result).toMatchObject({ pastCount: 4, futureCount: 4, concurrent: 0 });
    });

    it('returns null for an unknown event and looks only in the namespace asked for', async () => {
      const store = ctx.store();
      const a = draft({ process: 'x', vectorClock: { x: 1 } });
      const b = draft({ process: 'x', vectorClock: { x: 2 } });
      await store.append([a, b], { namespace: 'replay:c' });
      await store.append([draft({ process: 'x', vectorClock: { x: 3 } })]);
      expect(await store.causality('nope')).toBeNull();
      expect(await store.causality(a.id)).toBeNull();
      const inReplay = await store.causality(a.id, { namespace: 'replay:c' });
      expect(inReplay).toMatchObject({ pastCount: 0, futureCount: 1, concurrent: 0 });
      expect(ids(inReplay!.future)).toEqual([b.id]);
    });

    it('agrees with a brute-force vector clock comparison on random multi-process histories', async () => {
      const store = ctx.store();
      await fc.assert(
        fc.asyncProperty(historyArb, async ({ shuffled, batch }) => {
          const namespace = `prop:${++namespaceCounter}`;
          const stored: StoredEvent[] = [];
          for (let i = 0; i < shuffled.length; i += batch) {
            const results = await store.append(shuffled.slice(i, i + batch), { namespace });
            stored.push(...results.map((r) => r.event));
          }
          for (const e of stored) {
            const result = await store.causality(e.id, { namespace, limit: 1000 });
            const others = stored.filter((f) => f.id !== e.id);
            const past = others.filter((f) => compare(f.vectorClock, e.vectorClock) === 'before');
            const future = others.filter((f) => compare(f.vectorClock, e.vectorClock) === 'after');
            expect(sortedIds(result!.past)).toEqual(sortedIds(past));
            expect(sortedIds(result!.future)).toEqual(sortedIds(future));
            expect(positionsDescending(result!.past)).toBe(true);
            expect(positionsDescending([...result!.future].reverse())).toBe(true);
            expect(result).toMatchObject({
              pastCount: past.length,
              futureCount: future.length,
              concurrent: others.length - past.length - future.length,
            });
          }
        }),
        { numRuns: 40 },
      );
    });
  });
}

const positionsDescending = (events: StoredEvent[]) => events.every((e, i) => i === 0 || events[i - 1]!.position > e.position);
