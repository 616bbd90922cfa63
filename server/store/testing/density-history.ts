/**
 * A history for tests of the counts per second the stores keep (../density.ts), and what a store answers about it: so
 * that a database migrated to the counts can be held to the answers its appends gave.
 */
import type { EventDraft } from '../../../shared/event.js';
import type { TimelineDensity } from '../../../shared/timeline-density.js';
import type { EventStore } from '../types.js';
import { draft } from './fixtures.js';

export const DENSITY_NAMESPACES = ['live', 'import:m', 'replay:m'];

const BASE = Date.UTC(2026, 0, 1, 10);
/** Times no clock gives but a log may hold: year 0000, before 1970, the last instant of year 9999. */
const ODD_TIMES = ['0000-03-01T00:00:00.250Z', '1969-12-31T23:59:59.500+01:00', '9999-12-31T23:59:59.999999999Z'];

/** Appends a few hundred events to each namespace, several calls each, one retried; times spread over minutes. */
export async function appendDensityHistory(store: EventStore): Promise<void> {
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (const [n, namespace] of DENSITY_NAMESPACES.entries()) {
    const counters = new Map<string, number>();
    const next = (process: string, time: string): EventDraft => {
      const own = (counters.get(process) ?? 0) + 1;
      counters.set(process, own);
      return draft({ process, time, vectorClock: { [process]: own } });
    };
    const calls: EventDraft[][] = [ODD_TIMES.map((time, i) => next(`p${i}`, time))];
    for (let c = 0; c < 6; c++) {
      calls.push(Array.from({ length: 50 }, () => next(`p${Math.floor(random() * 4)}`, new Date(BASE + n * 1000 + Math.floor(random() * 300_000)).toISOString())));
    }
    for (const call of calls) await store.append(call, { namespace });
    await store.append([{ ...calls[1]![0]! }], { namespace });
  }
}

/** The densities of each namespace: the whole of it in several slicings, and ranges within it. */
export async function densityAnswers(store: EventStore): Promise<TimelineDensity[]> {
  const answers: TimelineDensity[] = [];
  for (const namespace of DENSITY_NAMESPACES) {
    for (const buckets of [1, 7, 400, 4_000]) answers.push(await store.density({ namespace, buckets }));
    answers.push(await store.density({ namespace, buckets: 50, from: BASE + 12_345, to: BASE + 250_000 }));
    answers.push(await store.density({ namespace, buckets: 400, from: BASE + 100_000, to: BASE + 104_999 }));
  }
  return answers;
}
