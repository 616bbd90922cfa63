import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventDraft, StoredEvent } from '../../../../shared/event.js';
import type { EventStore } from '../../types.js';
import type { SuiteContext } from './context.js';
import { appendAll, draft, ids } from '../fixtures.js';
import { bruteForceCausality, historyArb, type RandomHistory } from './histories.js';

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

    // p: a(2) ── b(5) ─────────── c(9) ── f(12)
    //               \                    /
    // q:             d(3) ───────── e(7)
    it('counts and lists exactly when own counters have gaps', async () => {
      const store = ctx.store();
      const a = draft({ process: 'p', vectorClock: { p: 2 } });
      const b = draft({ process: 'p', vectorClock: { p: 5 } });
      const d = draft({ process: 'q', vectorClock: { q: 3, p: 5 } });
      const c = draft({ process: 'p', vectorClock: { p: 9 } });
      const e = draft({ process: 'q', vectorClock: { q: 7, p: 5 } });
      const f = draft({ process: 'p', vectorClock: { p: 12, q: 7 } });
      await store.append([a, b, d, c, e, f]);

      const ofB = await store.causality(b.id);
      expect(ids(ofB!.past)).toEqual([a.id]);
      expect(ids(ofB!.future)).toEqual([d.id, c.id, e.id, f.id]);
      expect(ofB).toMatchObject({ pastCount: 1, futureCount: 4, concurrent: 0 });

      const ofC = await store.causality(c.id);
      expect(ids(ofC!.past)).toEqual([b.id, a.id]);
      expect(ids(ofC!.future)).toEqual([f.id]);
      expect(ofC).toMatchObject({ pastCount: 2, futureCount: 1, concurrent: 2 });

      const ofE = await store.causality(e.id, { limit: 2 });
      expect(ids(ofE!.past)).toEqual([d.id, b.id]);
      expect(ids(ofE!.future)).toEqual([f.id]);
      expect(ofE).toMatchObject({ pastCount: 3, futureCount: 1, concurrent: 1 });
    });

    it('counts every event sharing an own counter and clock, and relates none of them to the others', async () => {
      const store = ctx.store();
      const a = draft({ process: 'p', vectorClock: { p: 1 } });
      const b = draft({ process: 'p', vectorClock: { p: 2 } });
      const bAgain = draft({ process: 'p', vectorClock: { p: 2 } });
      await store.append([a, b]);
      await store.append([bAgain]);
      const c = draft({ process: 'p', vectorClock: { p: 3 } });
      const d = draft({ process: 'q', vectorClock: { q: 1, p: 2 } });
      await store.append([c, d]);

      const ofB = await store.causality(b.id);
      expect(ids(ofB!.past)).toEqual([a.id]);
      expect(ids(ofB!.future)).toEqual([c.id, d.id]);
      expect(ofB).toMatchObject({ pastCount: 1, futureCount: 2, concurrent: 1 });

      const ofC = await store.causality(c.id);
      expect(ids(ofC!.past)).toEqual([bAgain.id, b.id, a.id]);
      expect(ofC).toMatchObject({ pastCount: 3, futureCount: 0, concurrent: 1 });

      const ofD = await store.causality(d.id, { limit: 2 });
      expect(ids(ofD!.past)).toEqual([bAgain.id, b.id]);
      expect(ofD).toMatchObject({ pastCount: 3, futureCount: 0, concurrent: 1 });

      const ofA = await store.causality(a.id, { limit: 1 });
      expect(ids(ofA!.future)).toEqual([b.id]);
      expect(ofA).toMatchObject({ pastCount: 0, futureCount: 4, concurrent: 0 });
    });

    it('lists the events nearest by position when a process’s events arrived out of counter order', async () => {
      const store = ctx.store();
      const p = [1, 2, 3, 4, 5].map((n) => draft({ process: 'p', vectorClock: { p: n } }));
      await store.append([p[4]!]);
      await store.append([p[0]!, p[1]!, p[2]!, p[3]!]);
      const q = draft({ process: 'q', vectorClock: { q: 1, p: 5 } });
      await store.append([q]);

      const ofQ = await store.causality(q.id, { limit: 2 });
      expect(ids(ofQ!.past)).toEqual([p[3]!.id, p[2]!.id]);
      expect(ofQ).toMatchObject({ pastCount: 5, futureCount: 0, concurrent: 0 });

      const ofP1 = await store.causality(p[0]!.id, { limit: 2 });
      expect(ids(ofP1!.future)).toEqual([p[4]!.id, p[1]!.id]);
      expect(ofP1).toMatchObject({ pastCount: 0, futureCount: 5, concurrent: 0 });

      const ofP3 = await store.causality(p[2]!.id, { limit: 3 });
      expect(ids(ofP3!.past)).toEqual([p[1]!.id, p[0]!.id]);
      expect(ids(ofP3!.future)).toEqual([p[4]!.id, p[3]!.id, q.id]);
      expect(ofP3).toMatchObject({ pastCount: 2, futureCount: 3, concurrent: 0 });
    });

    it('lists the nearest events of a cone whose newest ones are nearly all on one process', async () => {
      const store = ctx.store();
      const few = ['b', 'c'].flatMap((process) => [1, 2, 3, 4, 5].map((n) => draft({ process, vectorClock: { [process]: n } })));
      const many = Array.from({ length: 40 }, (_, i) => draft({ process: 'a', vectorClock: { a: i + 1 } }));
      const t = draft({ process: 'z', vectorClock: { a: 40, b: 5, c: 5, z: 1 } });
      const late = many[19]!;
      const stored = [
        ...(await appendAll(store, few)),
        ...(await appendAll(store, many.filter((e) => e !== late))),
        ...(await appendAll(store, [t])),
        ...(await appendAll(store, [late])),
      ];
      const target = stored.find((e) => e.id === t.id)!;
      const result = await store.causality(t.id, { limit: 30 });
      expect(ids(result!.past)).toEqual(ids(bruteForceCausality(stored, target, 30).past));
      expect(result!.past[0]!.id).toBe(late.id);
      expect(result).toMatchObject({ pastCount: 50, futureCount: 0, concurrent: 0 });

      const first = stored.find((e) => e.id === many[0]!.id)!;
      const ofFirst = await store.causality(first.id, { limit: 12 });
      expect(ids(ofFirst!.future)).toEqual(ids(bruteForceCausality(stored, first, 12).future));
    });

    it('counts a namespace filled again after a drop afresh, leaving other namespaces alone', async () => {
      const store = ctx.store();
      const live = [1, 2, 3].map((n) => draft({ process: 'p', vectorClock: { p: n } }));
      await store.append(live);
      const first = [1, 2, 3, 4].map((n) => draft({ id: `r${n}`, process: 'p', vectorClock: { p: n } }));
      await store.append(first, { namespace: 'replay:a' });
      expect(await store.causality('r4', { namespace: 'replay:a' })).toMatchObject({ pastCount: 3, futureCount: 0 });

      expect(await store.dropNamespace('replay:a')).toBe(4);
      expect(await store.causality('r4', { namespace: 'replay:a' })).toBeNull();
      const again = [7, 8].map((n, i) => draft({ id: `r${i + 1}`, process: 'p', vectorClock: { p: n } }));
      await store.append(again, { namespace: 'replay:a' });
      const ofR2 = await store.causality('r2', { namespace: 'replay:a' });
      expect(ids(ofR2!.past)).toEqual(['r1']);
      expect(ofR2).toMatchObject({ pastCount: 1, futureCount: 0, concurrent: 0 });
      expect(await store.causality('r1', { namespace: 'replay:a' })).toMatchObject({ pastCount: 0, futureCount: 1, concurrent: 0 });
      await store.append([draft({ id: 'r0', process: 'p', vectorClock: { p: 5 } })], { namespace: 'replay:a' });
      expect(await store.causality('r2', { namespace: 'replay:a' })).toMatchObject({ pastCount: 2, futureCount: 0, concurrent: 0 });

      const ofLive = await store.causality(live[2]!.id);
      expect(ids(ofLive!.past)).toEqual([live[1]!.id, live[0]!.id]);
      expect(ofLive).toMatchObject({ pastCount: 2, futureCount: 0, concurrent: 0 });
    });

    it('agrees with a brute-force vector clock comparison on random multi-process histories', async () => {
      const store = ctx.store();
      await fc.assert(
        fc.asyncProperty(historyArb(false), async (history) => {
          await expectBruteForceAnswers(store, `prop:${++namespaceCounter}`, history);
        }),
        { numRuns: 25 },
      );
    });

    it('agrees with a brute-force comparison when events arrive shuffled, lost, copied and retried', async () => {
      const store = ctx.store();
      await fc.assert(
        fc.asyncProperty(historyArb(true), async (history) => {
          await expectBruteForceAnswers(store, `prop:${++namespaceCounter}`, history);
        }),
        { numRuns: 40 },
      );
    });

    it('agrees with a brute-force comparison in a namespace dropped and filled again', async () => {
      const store = ctx.store();
      await fc.assert(
        fc.asyncProperty(historyArb(true), historyArb(true), async (first, second) => {
          const namespace = `prop:${++namespaceCounter}`;
          await appendHistory(store, namespace, first);
          await store.dropNamespace(namespace);
          await expectBruteForceAnswers(store, namespace, second);
        }),
        { numRuns: 15 },
      );
    });
  });
}

/** Appends the history in its batches; the events stored, each once. */
async function appendHistory(store: EventStore, namespace: string, { arriving, batch }: RandomHistory): Promise<StoredEvent[]> {
  const stored = new Map<string, StoredEvent>();
  for (let i = 0; i < arriving.length; i += batch) {
    const results = await store.append(arriving.slice(i, i + batch), { namespace });
    for (const { event } of results) stored.set(event.id, event);
  }
  return [...stored.values()];
}

async function expectBruteForceAnswers(store: EventStore, namespace: string, history: RandomHistory): Promise<void> {
  const stored = await appendHistory(store, namespace, history);
  for (const e of stored) {
    const result = await store.causality(e.id, { namespace, limit: history.limit });
    const expected = bruteForceCausality(stored, e, history.limit);
    expect({ ...result!, past: ids(result!.past), future: ids(result!.future) }, `causality of ${e.id}`).toEqual({
      ...expected,
      past: ids(expected.past),
      future: ids(expected.future),
    });
  }
}
