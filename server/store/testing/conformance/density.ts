/**
 * The timeline's density: every store counts the events of each process per slice of time as the plan in
 * shared/timeline-density.ts places them, over the whole namespace or a range, with any offset in the times.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { densityPlan, sliceOf } from '../../../../shared/timeline-density.js';
import type { SuiteContext } from './context.js';
import { draft } from '../fixtures.js';

const BASE = Date.UTC(2026, 0, 1, 10);

export function describeDensity(ctx: SuiteContext): void {
  describe('density', () => {
    it('counts each process per slice over the whole store, as the plan places the events', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ p: fc.integer({ min: 0, max: 2 }), ms: fc.integer({ min: 0, max: 3_600_000 }) }), { minLength: 1, maxLength: 40 }),
          fc.integer({ min: 1, max: 30 }),
          async (events, buckets) => {
            const store = ctx.store();
            const namespace = `density-${Math.random().toString(36).slice(2)}`;
            const counters = [0, 0, 0];
            await store.append(
              events.map(({ p, ms }) => draft({ process: `p${p}`, time: new Date(BASE + ms).toISOString(), vectorClock: { [`p${p}`]: ++counters[p]! } })),
              { namespace },
            );
            const answer = await store.density({ namespace, buckets });
            const times = events.map((e) => BASE + e.ms);
            const plan = densityPlan(Math.min(...times), Math.max(...times), buckets);
            expect(answer.from).toBe(plan.from);
            expect(answer.bucketMs).toBe(plan.bucketMs);
            expect(answer.total).toBe(events.length);
            const expected = new Map<string, number[]>();
            for (const e of events) {
              const counts = expected.get(`p${e.p}`) ?? new Array<number>(plan.buckets).fill(0);
              counts[sliceOf(plan, BASE + e.ms)]!++;
              expected.set(`p${e.p}`, counts);
            }
            expect(answer.lanes).toEqual([...expected.keys()].sort().map((process) => ({ process, counts: expected.get(process) })));
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
  });
}
