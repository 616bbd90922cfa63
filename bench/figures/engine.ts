/**
 * Durable events per second through a 3-node flow (http in → filter → transform), acknowledged after commit,
 * beside the raw better-sqlite3 batched insert rate of rows of the same shape on the same machine; the same flow
 * on the in-memory store; and http in → function, whose JavaScript runs in a user-code thread. An "event" is a
 * stored event: each published event and the one it derives. Each figure is the median of ROUNDS, each on a fresh
 * store, with their spread.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlowDraft } from '../../shared/flow.js';
import { Engine, type PublishInput } from '../../server/runtime/engine.js';
import { derivedEventId, newEventId } from '../../server/runtime/ids.js';
import { openStore, type EventStore } from '../../server/store/index.js';
import { median, spreadOf, type Spread } from '../stats.js';
import type { FigureGroup } from '../figure-group.js';

const SOURCE_EVENTS = 50_000;
const BATCH = 500;
const PUBLISHERS = 4;
/** Rounds of each figure: a single one swings with whatever else the machine is doing. */
const ROUNDS = 3;

export const flow: FlowDraft & { id: string } = {
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

/** http in → function: a JavaScript handler doing small work (what the transform does), in a user-code thread. */
const functionFlow: FlowDraft & { id: string } = {
  id: 'f-bench-function',
  name: 'bench function',
  description: '',
  nodes: [
    { id: 'in', type: 'http', name: 'in', process: 'main', position: { x: 0, y: 0 }, config: { types: ['reading.*'] } },
    {
      id: 'conv',
      type: 'function',
      name: 'conv',
      process: 'main',
      position: { x: 0, y: 0 },
      config: { code: "return { type: 'reading.converted', data: { celsius: event.data.t, hot: event.data.t > 8 } };" },
    },
  ],
  edges: [{ id: 'e1', source: 'in', sourcePort: 'out', target: 'conv', targetPort: 'in' }],
};

const reading = (i: number): PublishInput => ({ type: 'reading.recorded', source: `bench://sensor-${i % 16}`, subject: `sensor-${i % 16}`, data: { t: (i % 200) / 10 } });

/** Publishes SOURCE_EVENTS in batches from a few concurrent publishers; resolves when every derived event is stored. */
export async function runEngine(url: string, benchFlow: FlowDraft & { id: string } = flow): Promise<number> {
  const store = await openStore(url);
  try {
    return await engineRateOn(store, benchFlow);
  } finally {
    await store.close();
  }
}

/**
 * Stored events per second (published and derived) through `benchFlow` on `store`: `sourceEvents` published in
 * batches from a few concurrent publishers, timed until every derived event (of node `conv`) is stored.
 */
export async function engineRateOn(store: EventStore, benchFlow: FlowDraft & { id: string }, sourceEvents = SOURCE_EVENTS): Promise<number> {
  const engine = new Engine({ store, maxLag: 50_000 });
  try {
    const saved = await store.flows.create(benchFlow);
    const deployed = await engine.deploy(saved);
    if (!deployed.ok) throw new Error(JSON.stringify(deployed.errors));
    let derived = 0;
    const done = new Promise<void>((resolve) =>
      engine.onAppended((events) => {
        for (const e of events) if (e.nodeId === 'conv') derived++;
        if (derived >= sourceEvents) resolve();
      }),
    );
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: PUBLISHERS }, async () => {
        while (next < sourceEvents) {
          const from = next;
          next = Math.min(sourceEvents, next + BATCH);
          await engine.publish(Array.from({ length: next - from }, (_, k) => reading(from + k)));
        }
      }),
    );
    await done;
    const seconds = (performance.now() - started) / 1000;
    return (sourceEvents * 2) / seconds;
  } finally {
    await engine.close();
  }
}

/** Raw batched inserts of the same rows (published and derived), one transaction per batch, no engine. */
function rawSqlite(path: string): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, source TEXT NOT NULL,
    time TEXT NOT NULL, subject TEXT, data TEXT, stream TEXT NOT NULL, version INTEGER NOT NULL, process TEXT NOT NULL,
    vector_clock TEXT NOT NULL, correlation_id TEXT NOT NULL, causation_id TEXT, flow_id TEXT, node_id TEXT, metadata TEXT NOT NULL)`);
  const insert = db.prepare(`INSERT INTO events (id, type, source, time, subject, data, stream, version, process, vector_clock,
    correlation_id, causation_id, flow_id, node_id, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertBatch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const r = reading(i);
      const id = newEventId();
      const time = new Date().toISOString();
      const clock = JSON.stringify({ main: i * 2 + 1 });
      insert.run(id, r.type, r.source, time, r.subject, JSON.stringify(r.data), r.subject, i + 1, 'main', clock, id, null, null, null, '{}');
      insert.run(derivedEventId('f', 'conv', { source: r.source, id }, 0), 'reading.converted', 'causeway://flows/f/nodes/conv', time, r.subject,
        JSON.stringify({ celsius: (r.data as { t: number }).t }), 'flow/f/conv', i + 1, 'main', JSON.stringify({ main: i * 2 + 2 }), id, id, 'f', 'conv', '{"port":"out","hops":1}');
    }
  });
  const started = performance.now();
  for (let i = 0; i < SOURCE_EVENTS; i += BATCH) insertBatch(i, Math.min(SOURCE_EVENTS, i + BATCH));
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return (SOURCE_EVENTS * 2) / seconds;
}

/** The median of ROUNDS of `measure` (given the round's number), with their spread. */
async function rounds(measure: (round: number) => number | Promise<number>): Promise<{ value: number; spread: Spread | undefined }> {
  const values: number[] = [];
  for (let round = 0; round < ROUNDS; round++) values.push(await measure(round));
  return { value: median(values), spread: spreadOf(values, 'rounds') };
}

export const engineFigures: FigureGroup = {
  names: ['raw_sqlite_insert_rows_per_s', 'engine_durable_events_per_s', 'engine_memory_events_per_s', 'function_node_events_per_s'],
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'causeway-bench-'));
    try {
      const raw = await rounds((round) => rawSqlite(join(dir, `raw-${round}.db`)));
      const durable = await rounds((round) => runEngine(`sqlite:${join(dir, `engine-${round}.db`)}`));
      const memory = await rounds(() => runEngine('memory:'));
      const fn = await rounds((round) => runEngine(`sqlite:${join(dir, `function-${round}.db`)}`, functionFlow));
      return [
        { name: 'raw_sqlite_insert_rows_per_s', unit: 'rows/s', ...raw },
        { name: 'engine_durable_events_per_s', unit: 'events/s', ...durable, baseline: 'raw_sqlite_insert_rows_per_s', goal: 'ratio ≥ 0.5' },
        { name: 'engine_memory_events_per_s', unit: 'events/s', ...memory },
        { name: 'function_node_events_per_s', unit: 'events/s', ...fn, baseline: 'engine_durable_events_per_s', goal: 'ratio ≥ 0.4' },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
