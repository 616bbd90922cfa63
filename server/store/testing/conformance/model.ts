import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventDraft } from '../../../../shared/event.js';
import { isStoreError, type AppendResult } from '../../types.js';
import type { SuiteContext } from './context.js';
import { draft } from '../fixtures.js';

interface PlannedEvent {
  id: number;
  source: string;
  stream: string;
  expected: number | null;
}

/** What the store must answer, call by call, when the calls are applied one after another in call order. */
type Expected = { ok: true; results: { id: string; duplicate: boolean; position: number; version: number }[] } | { ok: false };

function model(calls: EventDraft[][], head: number): Expected[] {
  const versions = new Map<string, number>();
  type Stored = { position: number; version: number; stream: string };
  const stored = new Map<string, Stored>();
  let position = head;
  return calls.map((call) => {
    const local = new Map(versions);
    const fresh = new Map<string, Stored>();
    const results = [];
    let next = position;
    for (const e of call) {
      // The drafts' content differs only in their stream: the same source and id with another one is a conflict.
      const key = `${e.source} ${e.id}`;
      const known = stored.get(key) ?? fresh.get(key);
      if (known) {
        if (known.stream !== e.stream) return { ok: false } as const;
        results.push({ id: e.id, duplicate: true, position: known.position, version: known.version });
        continue;
      }
      const current = local.get(e.stream) ?? 0;
      if (e.expectedVersion !== undefined && e.expectedVersion !== current) return { ok: false } as const;
      next += 1;
      local.set(e.stream, current + 1);
      fresh.set(key, { position: next, version: current + 1, stream: e.stream });
      results.push({ id: e.id, duplicate: false, position: next, version: current + 1 });
    }
    position = next;
    for (const [stream, version] of local) versions.set(stream, version);
    for (const [key, at] of fresh) stored.set(key, at);
    return { ok: true, results } as const;
  });
}

const eventArb: fc.Arbitrary<PlannedEvent> = fc.record({
  id: fc.nat({ max: 12 }),
  source: fc.constantFrom('test://a', 'test://b'),
  stream: fc.constantFrom('s1', 's2', 's3'),
  expected: fc.option(fc.nat({ max: 3 }), { freq: 2 }),
});
/** Waves of calls: the calls of a wave are made in the same tick (one group commit), waves one after another. */
const wavesArb = fc.array(fc.array(fc.array(eventArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), {
  minLength: 1,
  maxLength: 4,
});

let runs = 0;

export function describeModel(ctx: SuiteContext): void {
  describe('append against a sequential model', () => {
    it('answers concurrent and sequential calls as if applied one by one in call order', async () => {
      const store = ctx.store();
      await fc.assert(
        fc.asyncProperty(wavesArb, async (waves) => {
          const namespace = `model:${++runs}`;
          const toDraft = (e: PlannedEvent) =>
            draft({ id: `m${e.id}`, source: e.source, stream: e.stream, data: { m: e.id }, ...(e.expected === null ? {} : { expectedVersion: e.expected }) });
          const planned = waves.map((wave) => wave.map((call) => call.map(toDraft)));
          const expected = model(planned.flat(), await store.head());
          const outcomes: PromiseSettledResult<AppendResult[]>[] = [];
          for (const wave of planned) {
            outcomes.push(...(await Promise.allSettled(wave.map((call) => store.append(call, { namespace })))));
          }
          outcomes.forEach((outcome, i) => {
            const want = expected[i]!;
            if (!want.ok) {
              expect(outcome.status).toBe('rejected');
              expect(isStoreError((outcome as PromiseRejectedResult).reason)).toBe(true);
              return;
            }
            expect(outcome.status).toBe('fulfilled');
            const got = (outcome as PromiseFulfilledResult<AppendResult[]>).value;
            expect(got.map((r) => ({ id: r.event.id, duplicate: r.duplicate, position: r.event.position, version: r.event.version }))).toEqual(
              want.results,
            );
          });
        }),
        { numRuns: 60 },
      );
    });
  });
}
