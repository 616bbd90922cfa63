/**
 * The timeline's density: every store counts the events of each process per slice of time as the plan in
 * shared/timeline-density.ts places them, over the whole namespace or a range, with any offset in the times — from
 * counts it keeps per second as events are appended (../../density.ts), through appends in several calls, retries,
 * times far in the past or future, and a dropped namespace.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { densityOf, densityPlan, sliceOf, type TimelineDensity } from '../../../../shared/timeline-density.js';
import type { SuiteContext } from './context.js';
import { draft } from '../fixtures.js';

const BASE = Date.UTC(2026, 0, 1, 10);

/** The answer counted event by event, as the plan places them. */
function expected(events: { process: string; ms: number }[], from: number, to: number, buckets: number): TimelineDensity {
  const plan = densityPlan(from, to, buckets);
  return densityOf(
    plan,
    events.map((e) => ({ process: e.process, slice: sliceOf(plan, e.ms), count: 1 })),
  );
}

export function describeDensity(ctx: SuiteContext): void {
  describe('density', () => {
    it('counts each process per slice over the whole store or a range, as the plan places the events, appended in several calls', async () => {
      await fc.assert(
        fc.asyncProperty(
          // Slices narrower than a second, a few seconds wide (their bounds cut the seconds holding events), or wider.
          fc.constantFrom(2_000, 20_000, 3_600_000),
          fc.array(fc.record({ p: fc.integer({ min: 0, max: 2 }), at: fc.integer({ min: 0, max: 1_000_000 }), call: fc.integer({ min: 0, max: 3 }) }), {
            minLength: 1,
            maxLength: 40,
          }),
          fc.integer({ min: 1, max: 30 }),
          fc.option(fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }))),
          async (spread, picks, buckets, range) => {
            const store = ctx.store();
            const namespace = `density-${Math.random().toString(36).slice(2)}`;
            const msAt = (at: number) => BASE + Math.floor((at / 1_000_000) * spread);
            const counters = [0, 0, 0];
            const calls: ReturnType<typeof draft>[][] = [[], [], [], []];
            for (const { p, at, call } of picks) {
              calls[call]!.push(draft({ process: `p${p}`, time: new Date(msAt(at)).toISOString(), vectorClock: { [`p${p}`]: ++counters[p]! } }));
            }
            // Two calls one after the other, then two at once (one transaction or two, as the store groups them).
            await store.append(calls[0]!, { namespace });
            await store.append(calls[1]!, { namespace });
            await Promise.all([store.append(calls[2]!, { namespace }), store.append(calls[3]!, { namespace })]);
            const events = picks.map(({ p, at }) => ({ process: `p${p}`, ms: msAt(at) }));
            const times = events.map((e) => e.ms);
            if (range) {
              const [from, to] = [msAt(Math.min(...range)), msAt(Math.max(...range))];
              expect(await store.density({ namespace, buckets, from, to })).toEqual(expected(events, from, to, buckets));
            } else {
              expect(await store.density({ namespace, buckets })).toEqual(expected(events, Math.min(...times), Math.max(...times), buckets));
            }
          },
        ),
        { numRuns: 15 },
      );
    });

    it('counts only inside an asked range, and reads times with any offset', async () => {
      const store = ctx.store();
      await store.append([
        draft({ process: 'a', time: '2026-01-01T10:00:00.000Z', vectorClock: { a: 1 } }),
        draft({ process: 'a', time: '2026-01-01T12:00:00.500+02:00', vectorClock: { a: 2 } }),
        draft({ process: 'b', time: '2026-01-01T10:00:01.999Z', vectorClock: { b: 1 } }),
        draft({ process: 'b', time: '2026-01-01T10:00:05.000Z', vectorClock: { b: 2 } }),
      ]);
      const answer = await store.density({ from: Date.parse('2026-01-01T10:00:00Z'), to: Date.parse('2026-01-01T10:00:01.999Z'), buckets: 2 });
      expect(answer.bucketMs).toBe(1000);
      expect(answer.total).toBe(3);
      expect(answer.lanes).toEqual([
        { process: 'a', counts: [2, 0] },
        { process: 'b', counts: [0, 1] },
      ]);
      expect(await store.density({ namespace: 'nothing-here', buckets: 10 })).toMatchObject({ total: 0, lanes: [] });
    });

    it('counts times far in the past and future, of year 0000 too, each in its slice, and a range between them', async () => {
      const store = ctx.store();
      const times = ['0000-01-01T00:00:00Z', '0000-02-29T12:00:00.5Z', '1969-12-31T23:59:59.999Z', '2026-01-01T10:00:00.250Z', '2026-01-01T10:00:01Z', '9999-12-31T23:59:59.999999Z'];
      await store.append(times.map((time, i) => draft({ process: i % 2 === 0 ? 'a' : 'b', time, vectorClock: { [i % 2 === 0 ? 'a' : 'b']: i + 1 } })));
      const events = times.map((time, i) => ({ process: i % 2 === 0 ? 'a' : 'b', ms: Math.floor(Date.parse(time)) }));
      const whole = await store.density({ buckets: 4_000 });
      expect(whole).toEqual(expected(events, Date.parse('0000-01-01T00:00:00Z'), Date.parse('9999-12-31T23:59:59.999Z'), 4_000));
      expect(whole.total).toBe(6);
      const from = Date.parse('1969-12-31T23:59:59Z');
      const to = Date.parse('2026-01-01T10:00:00.600Z');
      expect(await store.density({ from, to, buckets: 7 })).toEqual(expected(events, from, to, 7));
    });

    it('counts a retried event once, and forgets a dropped namespace’s counts', async () => {
      const store = ctx.store();
      const first = draft({ process: 'a', time: '2026-01-01T10:00:00.100Z', vectorClock: { a: 1 } });
      await store.append([first], { namespace: 'replay:d' });
      await store.append([{ ...first }, draft({ process: 'a', time: '2026-01-01T10:00:00.200Z', vectorClock: { a: 2 } })], { namespace: 'replay:d' });
      expect(await store.density({ namespace: 'replay:d', buckets: 1 })).toMatchObject({ total: 2, lanes: [{ process: 'a', counts: [2] }] });

      await store.dropNamespace('replay:d');
      expect(await store.density({ namespace: 'replay:d', buckets: 1 })).toMatchObject({ total: 0, lanes: [] });
      const range = { from: Date.parse('2026-01-01T10:00:00Z'), to: Date.parse('2026-01-01T10:00:09Z'), buckets: 1 };
      expect(await store.density({ namespace: 'replay:d', ...range })).toMatchObject({ total: 0, lanes: [] });
      await store.append([draft({ process: 'b', time: '2026-01-01T10:00:00.300Z', vectorClock: { b: 1 } })], { namespace: 'replay:d' });
      expect(await store.density({ namespace: 'replay:d', ...range })).toMatchObject({ total: 1, lanes: [{ process: 'b', counts: [1] }] });
    });
  });
}
