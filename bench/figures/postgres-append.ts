/**
 * Appends through the PostgreSQL adapter (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test, each run
 * in a schema of its own, dropped after), with PostgreSQL's own durability settings (fsync on):
 * - `pg_append_events_per_s`: 100,000 events — 1,000 streams of 100, each stream one call of 100 events, each stream
 *   the events of a device of its own (its own process and clock) — from 8 writers that each wait for their call to
 *   commit before making the next;
 * - `pg_append_expected_events_per_s`: the same with an expected version (0: a new stream) on every call;
 * - `pg_append_one_process_events_per_s`: the same events all stamped by one process, as the runtime stamps what
 *   its HTTP source receives;
 * - `pg_engine_durable_events_per_s`: the flow of engine_durable_events_per_s (http in → filter → transform, acknowledged
 *   after commit) on PostgreSQL; an "event" is each published event and the one the flow derives from it.
 * Each figure is the median of RUNS runs.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { EventDraft } from '../../shared/event.js';
import type { FlowDraft } from '../../shared/flow.js';
import { openPostgresStore, type EventStore } from '../../server/store/index.js';
import type { FigureGroup } from '../figure-group.js';
import { engineRateOn } from './engine.js';
import { median } from '../stats.js';

const URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const STREAMS = 1000;
const PER_STREAM = 100;
const WRITERS = 8;
const RUNS = 3;

const DURABLE_SOURCE_EVENTS = 20_000;

/** A fresh store in a schema of its own, dropped once `work` is done. */
async function withStore<T>(work: (store: EventStore) => Promise<T>): Promise<T> {
  const schema = `cw_bench_${randomBytes(4).toString('hex')}`;
  const store = await openPostgresStore(URL, { schema });
  try {
    return await work(store);
  } finally {
    await store.close();
    const client = new pg.Client({ connectionString: URL });
    await client.connect();
    await client.query(`DROP SCHEMA ${pg.escapeIdentifier(schema)} CASCADE`).finally(() => client.end());
  }
}

type Stamp = (stream: number, version: number) => { process: string; vectorClock: Record<string, number> };

/** Each stream a device of its own: its events count on its own clock. */
const byDevice: Stamp = (stream, version) => ({ process: `device-${stream}`, vectorClock: { [`device-${stream}`]: version } });

/** One stream's 100 events as one call; `expected`: the call states the stream must be new. */
function streamCall(run: string, stream: number, stamp: Stamp, expected: boolean): EventDraft[] {
  return Array.from({ length: PER_STREAM }, (_, i) => {
    const id = `${run}-${stream}-${i + 1}`;
    return {
      id,
      type: 'reading.recorded',
      source: `bench://device-${stream}`,
      time: new Date().toISOString(),
      subject: `device-${stream}`,
      datacontenttype: 'application/json',
      data: { t: ((stream + i) % 200) / 10 },
      stream: `device-${stream}`,
      ...stamp(stream, i + 1),
      correlationId: id,
      causationId: null,
      flowId: null,
      nodeId: null,
      revision: null,
      metadata: {},
      ...(expected && i === 0 ? { expectedVersion: 0 } : {}),
    };
  });
}

/** Events per second for all streams appended by WRITERS writers, each waiting for its call before the next. */
async function appendRun(stamp: () => Stamp, expected: boolean): Promise<number> {
  return withStore(async (store) => {
    const run = randomBytes(3).toString('hex');
    const stampOf = stamp();
    const calls = Array.from({ length: STREAMS }, (_, s) => streamCall(run, s, stampOf, expected));
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (next < calls.length) await store.append(calls[next++]!);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    if ((await store.head()) !== STREAMS * PER_STREAM) throw new Error('not every event was stored');
    return (STREAMS * PER_STREAM) / seconds;
  });
}

/** All events of one process, counted in the order the calls are made (as the runtime stamps them). */
const oneProcess = (): Stamp => {
  let counter = 0;
  return () => ({ process: 'main', vectorClock: { main: ++counter } });
};

const flow: FlowDraft & { id: string } = {
  id: 'f-bench',
  name: 'bench',
  description: '',
  nodes: [
    { id: 'in', type: 'http', name: 'in', process: 'main', position: { x: 0, y: 0 }, config: { types: ['reading.*'] } },
    { id: 'hot', type: 'filter', name: 'hot', process: 'main', position: { x: 0, y: 0 }, config: { expression: 'data.t > -1000' } },
    { id: 'conv', type: 'transform', name: 'conv', process: 'main', position: { x: 0, y: 0 }, config: { expression: "{'celsius': data.t}", type: 'reading.converted' } },
  ],
  edges: [
    { id: 'e1', source: 'in', sourcePort: 'out', target: 'hot', targetPort: 'in' },
    { id: 'e2', source: 'hot', sourcePort: 'out', target: 'conv', targetPort: 'in' },
  ],
};

/** Stored events per second (published and derived) through the bench flow on PostgreSQL. */
async function durableRun(): Promise<number> {
  return withStore((store) => engineRateOn(store, flow, DURABLE_SOURCE_EVENTS));
}

async function medianOf(run: () => Promise<number>): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < RUNS; i++) values.push(await run());
  return median(values);
}

export const postgresAppendFigures: FigureGroup = {
  names: ['pg_append_events_per_s', 'pg_append_expected_events_per_s', 'pg_append_one_process_events_per_s', 'pg_engine_durable_events_per_s'],
  async run() {
    return [
      { name: 'pg_append_events_per_s', value: await medianOf(() => appendRun(() => byDevice, false)), unit: 'events/s', goal: '≥ 60,000 (1.5 × Emmett 0.42)' },
      { name: 'pg_append_expected_events_per_s', value: await medianOf(() => appendRun(() => byDevice, true)), unit: 'events/s' },
      { name: 'pg_append_one_process_events_per_s', value: await medianOf(() => appendRun(oneProcess, false)), unit: 'events/s' },
      { name: 'pg_engine_durable_events_per_s', value: await medianOf(durableRun), unit: 'events/s' },
    ];
  },
};
