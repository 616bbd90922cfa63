/**
 * A flow split into partitions, as a cluster runs it, in one test process: two engines (two replicas, `r1` and
 * `r2`) on one store, each running one partition of the flow, as the coordinator starts them. The flow's
 * `partitionKey` decides where each chain runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../shared/event.js';
import type { Flow } from '../../shared/flow.js';
import { openStore, type EventStore } from '../store/index.js';
import { Engine } from './engine.js';
import { all, until } from './testing/engines.js';
import { flowOf } from './testing/flows.js';

let opened: { engines: Engine[]; store: EventStore } | null = null;
afterEach(async () => {
  if (!opened) return;
  for (const engine of opened.engines) await engine.close();
  await opened.store.close();
  opened = null;
});
const COUNT = 2;
const SITES = Array.from({ length: 12 }, (_, i) => `site-${i}`);

/** http in → transform deriving `reading.tagged`, saved with `partitionKey` when given, run as two partitions on two replicas. */
async function runSplit(partitionKey?: string) {
  const store = await openStore('memory:');
  const first = { engine: new Engine({ store, process: 'r1' }), store };
  const second = { engine: new Engine({ store, process: 'r2' }), store };
  opened = { engines: [first.engine, second.engine], store };
  const draft = flowOf(
    [
      { id: 'in', type: 'http', config: { types: ['reading.*'] } },
      { id: 'tag', type: 'transform', config: { expression: 'data', type: 'reading.tagged' } },
    ],
    [['in', 'tag']],
  );
  const flow: Flow = await first.store.flows.create(partitionKey === undefined ? draft : { ...draft, partitionKey });
  for (const [index, { engine }] of [first, second].entries()) {
    const name = engine.process;
    const started = await engine.runHere(flow, { store: first.store, clocks: engine.clocks.forRun(name), partition: { index, count: COUNT }, process: name });
    expect(started.ok).toBe(true);
  }
  // Each site's readings come from three devices, published to either replica.
  const readings = SITES.flatMap((site, s) => [1, 2, 3].map((d) => ({ engine: (s + d) % 2 === 0 ? first.engine : second.engine, process: `${site}-dev-${d}`, site })));
  for (const r of readings) await r.engine.publish([{ type: 'reading.recorded', source: 'test://sites', process: r.process, data: { site: r.site } }]);
  const tagged = await until(async () => {
    const found = await all(first.store, { types: ['reading.tagged'] });
    return found.length >= readings.length && found;
  });
  return { tagged, readings };
}

/** Where the derived events of each site ran: their partitions and the replicas that stamped them. */
function placesBySite(tagged: StoredEvent[]) {
  const bySite = new Map<string, { partitions: Set<unknown>; replicas: Set<string> }>();
  for (const e of tagged) {
    const site = (e.data as { site: string }).site;
    const place = bySite.get(site) ?? { partitions: new Set(), replicas: new Set() };
    place.partitions.add(e.metadata.partition);
    place.replicas.add(e.process);
    bySite.set(site, place);
  }
  return bySite;
}

describe('a flow with a partition key, split over two replicas', () => {
  it('handles all the events of one site in one partition, on one replica, and each event once', async () => {
    const { tagged, readings } = await runSplit('data.site');
    expect(tagged).toHaveLength(readings.length);
    expect(new Set(tagged.map((e) => e.causationId)).size).toBe(readings.length);
    const places = placesBySite(tagged);
    expect([...places.keys()].sort()).toEqual([...SITES].sort());
    for (const [site, { partitions, replicas }] of places) {
      expect(partitions.size, site).toBe(1);
      expect(replicas.size, site).toBe(1);
    }
    // The sites spread over both partitions and both replicas.
    expect(new Set(tagged.map((e) => e.metadata.partition))).toEqual(new Set([0, 1]));
    expect(new Set(tagged.map((e) => e.process))).toEqual(new Set(['r1', 'r2']));
  });

  it('without one, partitions by device: a site’s events may then run in both partitions', async () => {
    const { tagged } = await runSplit();
    expect([...placesBySite(tagged).values()].some(({ partitions }) => partitions.size > 1)).toBe(true);
  });
});
