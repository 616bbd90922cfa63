import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { densityOf, densityPlan, sliceOf } from '../../shared/timeline-density.js';
import { BUCKET_MS, bucketCountsOf, type CountedWrite, bucketOf, bucketOfKey, bucketSliceOf, countingOf, DensityTally, keyOfMs } from './density.js';

const BASE = Date.UTC(2026, 0, 1, 10);

/** The answer counted event by event, as the plan places them. */
function bruteForce(events: { process: string; ms: number }[], from: number, to: number, buckets: number) {
  const plan = densityPlan(from, to, buckets);
  return densityOf(
    plan,
    events.map((e) => ({ process: e.process, slice: sliceOf(plan, e.ms), count: 1 })),
  );
}

/** The answer as an adapter reads it: per-second counts for the buckets, the events for the stretches. */
function fromCounts(events: { process: string; ms: number }[], from: number, to: number, buckets: number) {
  const plan = densityPlan(from, to, buckets);
  const counting = countingOf(plan);
  const tally = new DensityTally(plan);
  const perBucket = new Map<string, number>();
  for (const e of events) {
    const key = `${e.process}|${bucketOf(e.ms)}`;
    perBucket.set(key, (perBucket.get(key) ?? 0) + 1);
  }
  if (counting.buckets) {
    for (const [key, count] of perBucket) {
      const [process, start] = [key.split('|')[0]!, Number(key.split('|')[1])];
      if (start >= counting.buckets.from && start < counting.buckets.until) tally.add(process, bucketSliceOf(plan, start), count);
    }
  }
  for (const stretch of counting.stretches) {
    for (const process of new Set(events.map((e) => e.process))) {
      tally.stretch(process, stretch, events.filter((e) => e.process === process && e.ms >= stretch.from && e.ms <= stretch.to).length);
    }
  }
  return { answer: tally.answer(), counting };
}

const writeOf = (namespace: string, process: string, timeKey: string): CountedWrite => ({ namespace, timeKey, event: { process } });

describe('density from counts per second', () => {
  it('answers every range and slicing exactly as counting event by event would', () => {
    fc.assert(
      fc.property(
        // Spreads where slices are narrower than a second, a few seconds wide (boundaries cut many of the seconds that
        // hold events), and far wider.
        fc.constantFrom(1_500, 20_000, 3_600_000, 400 * 86_400_000),
        fc.array(fc.record({ p: fc.integer({ min: 0, max: 2 }), at: fc.integer({ min: 0, max: 1_000_000 }) }), { minLength: 1, maxLength: 80 }),
        fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 400 })),
        fc.option(fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }))),
        (spread, picks, buckets, range) => {
          const msAt = (at: number) => BASE + Math.floor((at / 1_000_000) * spread);
          const events = picks.map(({ p, at }) => ({ process: `p${p}`, ms: msAt(at) }));
          const times = events.map((e) => e.ms);
          const [from, to] = range ? [msAt(Math.min(...range)), msAt(Math.max(...range))] : [Math.min(...times), Math.max(...times)];
          expect(fromCounts(events, from, to, buckets).answer).toEqual(bruteForce(events, from, to, buckets));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts a range that is not a whole number of slices, its last slices starting past its end, exactly', () => {
    // 4,000 slices of 1,000 ms over 3,996,001 ms: the last three start after the range's end.
    const from = BASE + 250;
    const to = from + 3_996_000;
    const events = [from, from + 1_000, to - 1, to, to + 1, to + 900, to + 3_000].map((ms, i) => ({ process: `p${i % 2}`, ms }));
    expect(fromCounts(events, from, to, 4_000).answer).toEqual(bruteForce(events, from, to, 4_000));
    expect(bruteForce(events, from, to, 4_000).total).toBe(4);
  });

  it('reads at most one second of events per slice boundary once slices are a second wide or more', () => {
    const plan = densityPlan(BASE + 123, BASE + 3_600_000 + 456, 400);
    const { buckets, stretches } = countingOf(plan);
    expect(buckets).toEqual({ from: BASE, until: BASE + 3_600_000 });
    expect(stretches.length).toBeLessThanOrEqual(plan.buckets + 1);
    for (const s of stretches) {
      expect(bucketOf(s.from)).toBe(s.from);
      expect(s.to - s.from).toBeLessThan(BUCKET_MS);
    }
  });

  it('counts a group of writes once per namespace, process and second, with times far in the past and future', () => {
    const counts = bucketCountsOf([
      writeOf('live', 'a', '2026-01-01T10:00:00.100000000Z'),
      writeOf('live', 'a', '2026-01-01T10:00:00.900000000Z'),
      writeOf('live', 'b', '2026-01-01T10:00:00.500000000Z'),
      writeOf('live', 'a', '2026-01-01T10:00:01.000000000Z'),
      writeOf('import:x', 'a', '2026-01-01T10:00:00.100000000Z'),
      writeOf('live', 'a', '0000-01-01T00:00:00.000000000Z'),
      writeOf('live', 'a', '9999-12-31T23:59:59.999999999Z'),
      writeOf('live', 'a', '2026-01-01T10:00:00.200000000Z'),
    ]);
    expect(counts).toEqual([
      { namespace: 'live', process: 'a', start: BASE, events: 3 },
      { namespace: 'live', process: 'b', start: BASE, events: 1 },
      { namespace: 'live', process: 'a', start: BASE + 1000, events: 1 },
      { namespace: 'import:x', process: 'a', start: BASE, events: 1 },
      { namespace: 'live', process: 'a', start: Date.parse('0000-01-01T00:00:00Z'), events: 1 },
      { namespace: 'live', process: 'a', start: Date.parse('9999-12-31T23:59:59Z'), events: 1 },
    ]);
  });

  it('places a key in the second it names, before 1970 too', () => {
    expect(bucketOfKey('1969-12-31T23:59:59.999000000Z')).toBe(-1000);
    expect(bucketOfKey(keyOfMs(-1, false))).toBe(bucketOf(-1));
    expect(bucketOfKey('0000-01-01T00:00:00.000000000Z')).toBe(Date.parse('0000-01-01T00:00:00Z'));
  });
});
