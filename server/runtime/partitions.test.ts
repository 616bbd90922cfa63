import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../shared/event.js';
import type { FlowNode } from '../../shared/flow.js';
import { compile } from '../compiler/compile.js';
import { graphOf } from '../compiler/testing/flows.js';
import { PartitionFilter, partitionOf } from './partitions.js';
import { storedEvent } from './testing/fixtures.js';
import { flowOf } from './testing/flows.js';
import { sharedUserCodePool } from './user-code/pool.js';

const COUNT = 4;

/** http in → actor keyed by `actorKey` (or a debug node), with the flow's `partitionKey` when given. */
async function graph(partitionKey: string | undefined, actorKey?: string) {
  const last: Partial<FlowNode> = actorKey
    ? { id: 'a', type: 'actor', config: { key: actorKey, reducer: 'return {state, emit: []}' } }
    : { id: 'a', type: 'debug', config: {} };
  const flow = flowOf([{ id: 'in', type: 'http', config: { types: ['*'] } }, last], [['in', 'a']]);
  return graphOf(await compile(partitionKey === undefined ? flow : { ...flow, partitionKey }));
}

/** The partition each event lands in, asking every partition's filter; each must be owned by exactly one. */
async function placed(g: Awaited<ReturnType<typeof graph>>, events: StoredEvent[]): Promise<number[]> {
  const filters = Array.from({ length: COUNT }, (_, index) => new PartitionFilter(g, { index, count: COUNT }, sharedUserCodePool()));
  try {
    const owned = await Promise.all(filters.map((f) => f.owned(events)));
    return events.map((event, i) => {
      const owners = owned.flatMap((answers, p) => (answers[i] ? [p] : []));
      expect(owners, `the owners of event ${event.id}`).toHaveLength(1);
      return owners[0]!;
    });
  } finally {
    for (const f of filters) f.release();
  }
}

const SITES = Array.from({ length: 24 }, (_, i) => `site-${i}`);
/** Each site's events from three devices, and with three sources: only the flow's key can keep them together. */
const siteEvents = () =>
  SITES.flatMap((site) => [1, 2, 3].map((d) => storedEvent({ process: `sensor-${site}-${d}`, source: `test://${d}`, data: { site } })));

/** The partitions of events that share a key, by key. */
function byKey(events: StoredEvent[], partitions: number[], key: (e: StoredEvent) => string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  events.forEach((e, i) => out.set(key(e), (out.get(key(e)) ?? new Set()).add(partitions[i]!)));
  return out;
}

const siteOf = (e: StoredEvent) => (e.data as { site: string }).site;

describe('PartitionFilter with the flow’s partition key', () => {
  it('puts the events of one key in one partition, whatever their device or source, and spreads the keys', async () => {
    const events = siteEvents();
    const partitions = await placed(await graph('data.site'), events);
    const sites = byKey(events, partitions, siteOf);
    for (const [site, where] of sites) {
      expect([...where], site).toEqual([partitionOf(site, COUNT)]);
    }
    expect(new Set(partitions).size).toBe(COUNT);
  });

  it('overrides the first actor’s key', async () => {
    const events = siteEvents();
    const partitions = await placed(await graph('data.site', 'source'), events);
    for (const where of byKey(events, partitions, siteOf).values()) expect(where.size).toBe(1);
    // Keyed by the actor's key (the source) instead, a site would be spread over its sources' partitions.
    const bySource = await placed(await graph(undefined, 'source'), events);
    expect([...byKey(events, bySource, siteOf).values()].some((where) => where.size > 1)).toBe(true);
  });

  it('falls back to the event’s process when the expression gives nothing, or fails on the event', async () => {
    const missing = [storedEvent({ process: 'dev-a', data: {} }), storedEvent({ process: 'dev-b', data: { other: 1 } })];
    expect(await placed(await graph('data.site'), missing)).toEqual(missing.map((e) => partitionOf(e.process, COUNT)));
    // $number of a text that is not a number is an error in JSONata: that event goes by its process too.
    const failing = [storedEvent({ process: 'dev-c', data: { site: 'north' } }), storedEvent({ process: 'dev-d', data: { site: '12' } })];
    expect(await placed(await graph('$number(data.site)'), failing)).toEqual([partitionOf('dev-c', COUNT), partitionOf('12', COUNT)]);
  });

  it('keeps a derived event in the partition its chain began in, whatever its key says', async () => {
    const g = await graph('data.site');
    const derived = Array.from({ length: COUNT }, (_, p) =>
      storedEvent({ flowId: g.flowId, nodeId: 'a', data: { site: 'site-0' }, metadata: { partition: p } }),
    );
    expect(await placed(g, derived)).toEqual([0, 1, 2, 3]);
  });
});
