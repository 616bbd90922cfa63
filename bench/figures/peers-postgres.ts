/**
 * PostgreSQL peers (bench/README.md), all on the local server (127.0.0.1:5432, fsync and synchronous_commit on), each
 * run in a database created for it:
 * - `emmett_pg_append_*`: 100,000 events — 1,000 streams of 100, each stream's 100 events in one append call — from
 *   8 concurrent writers, with and without an expected version, through Emmett's PostgreSQL event store (its own
 *   Node process), Causeway's PostgreSQL adapter (the `server/store` front door, in this process) and Causeway's
 *   HTTP batch route (`POST /api/events`, a server process on PostgreSQL, 8 connections): events per second.
 * - `raw_pg_insert_rows_per_s`: PostgreSQL's own limit here: the same number of rows of the events table's shape,
 *   100 per multi-row INSERT, from 8 connections; the baseline of `pg_durable_events_per_s`, the engine figure
 *   (http in → filter → transform, ack after commit) on PostgreSQL.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { EventDraft } from '../../shared/event.js';
import { newEventId } from '../../server/runtime/ids.js';
import { openPostgresStore } from '../../server/store/index.js';
import { figuresOf, interleaved, roundsTable, type Contender } from '../rounds.js';
import type { FigureGroup } from '../figure-group.js';
import { runEngine } from './engine.js';
import { withCauseway } from './peers-causeway.js';
import { ensurePeers, PEERS_DIR } from './peers-install.js';

const ROUNDS = 3;
const STREAMS = 1_000;
const PER_STREAM = 100;
const WRITERS = 8;
/** Streams appended before measuring, the same way: tables created, code compiled, connections open. */
const WARMUP_STREAMS = 40;
const EVENTS = STREAMS * PER_STREAM;

const SERVER = 'postgres://postgres@127.0.0.1:5432';

/** Drops and creates the database `name`; answers its URL. */
async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: `${SERVER}/test` });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  return `${SERVER}/${name}`;
}

/** Runs `append(stream, writer)` for each of `count` streams named `prefix-i`, `WRITERS` at a time; answers seconds. */
async function byWriters(prefix: string, count: number, append: (stream: string, writer: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      while (next < count) await append(`${prefix}-${next++}`, writer);
    }),
  );
  return (performance.now() - started) / 1000;
}

const reading = (stream: string, i: number) => ({ sensor: stream, t: (i % 200) / 10 });

async function emmettRun(expected: boolean): Promise<number> {
  const url = await freshDatabase('bench_emmett');
  const args = [join(PEERS_DIR, 'emmett-append.mjs'), url, String(STREAMS), String(PER_STREAM), String(WRITERS), expected ? 'expected' : 'any', String(WARMUP_STREAMS)];
  const { stdout } = await promisify(execFile)(process.execPath, args);
  const { seconds, events } = JSON.parse(stdout) as { seconds: number; events: number };
  if (events !== EVENTS) throw new Error(`emmett-append: ${events} events, expected ${EVENTS}`);
  return events / seconds;
}

/** Through the store's front door, in this process: each writer is a process with its own clock. */
async function adapterRun(expected: boolean): Promise<number> {
  const store = await openPostgresStore(await freshDatabase('bench_causeway'));
  const counters = new Array<number>(WRITERS).fill(0);
  const append = async (stream: string, writer: number) => {
    const writerProcess = `writer-${writer}`;
    const time = new Date().toISOString();
    const drafts = Array.from({ length: PER_STREAM }, (_, i): EventDraft => {
      const id = newEventId();
      return {
        id,
        type: 'reading.recorded',
        source: `bench://${writerProcess}`,
        time,
        subject: stream,
        datacontenttype: 'application/json',
        data: reading(stream, i),
        stream,
        ...(expected && i === 0 ? { expectedVersion: 0 } : {}),
        process: writerProcess,
        vectorClock: { [writerProcess]: ++counters[writer]! },
        correlationId: id,
        causationId: null,
        flowId: null,
        nodeId: null,
        revision: null,
        metadata: {},
      };
    });
    await store.append(drafts);
  };
  try {
    await byWriters('warmup', WARMUP_STREAMS, append);
    return EVENTS / (await byWriters('reading', STREAMS, append));
  } finally {
    await store.close();
  }
}

/** Batches of CloudEvents to `POST /api/events` of a server on PostgreSQL, one connection per writer. */
async function httpBatchRun(expected: boolean): Promise<number> {
  return withCauseway(
    await freshDatabase('bench_causeway'),
    async (server) => {
      let sequence = 0;
      const append = async (stream: string) => {
        const batch = Array.from({ length: PER_STREAM }, (_, i) => ({
          specversion: '1.0',
          id: `bench-${sequence++}`,
          source: 'bench://http-batch',
          type: 'reading.recorded',
          subject: stream,
          stream,
          ...(expected && i === 0 ? { expectedversion: 0 } : {}),
          data: reading(stream, i),
        }));
        const answer = await fetch(`${server.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/cloudevents-batch+json' }, body: JSON.stringify(batch) });
        if (answer.status !== 202) throw new Error(`POST /api/events answered ${answer.status}: ${await answer.text()}`);
        await answer.arrayBuffer();
      };
      await byWriters('warmup', WARMUP_STREAMS, append);
      return EVENTS / (await byWriters('reading', STREAMS, append));
    },
    { deploy: false },
  );
}

const COLUMNS = ['id', 'type', 'source', 'time', 'subject', 'datacontenttype', 'data', 'stream', 'version', 'process', 'vector_clock', 'correlation_id', 'causation_id', 'flow_id', 'node_id', 'metadata'];

/** Plain multi-row inserts of rows shaped as Causeway's events (primary key and unique id, as raw SQLite's). */
async function rawInsertRun(): Promise<number> {
  const url = await freshDatabase('bench_raw');
  const clients = Array.from({ length: WRITERS }, () => new pg.Client({ connectionString: url }));
  await Promise.all(clients.map((c) => c.connect()));
  try {
    await clients[0]!.query(`CREATE TABLE events (position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE,
      type text NOT NULL, source text NOT NULL, time text NOT NULL, subject text, datacontenttype text, data json NOT NULL,
      stream text NOT NULL, version integer NOT NULL, process text NOT NULL, vector_clock json NOT NULL,
      correlation_id text NOT NULL, causation_id text, flow_id text, node_id text, metadata json NOT NULL)`);
    const values = Array.from({ length: PER_STREAM }, (_, r) => `(${COLUMNS.map((_, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`).join(', ');
    const sql = `INSERT INTO events (${COLUMNS.join(', ')}) VALUES ${values}`;
    const counters = new Array<number>(WRITERS).fill(0);
    const insert = async (stream: string, writer: number) => {
      const writerProcess = `writer-${writer}`;
      const time = new Date().toISOString();
      const params: unknown[] = [];
      for (let i = 0; i < PER_STREAM; i++) {
        const id = newEventId();
        const clock = JSON.stringify({ [writerProcess]: ++counters[writer]! });
        params.push(id, 'reading.recorded', `bench://${writerProcess}`, time, stream, 'application/json', JSON.stringify(reading(stream, i)), stream, i + 1, writerProcess, clock, id, null, null, null, '{}');
      }
      await clients[writer]!.query(sql, params);
    };
    await byWriters('warmup', WARMUP_STREAMS, insert);
    return EVENTS / (await byWriters('reading', STREAMS, insert));
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

const emmettContenders: Contender[] = [false, true].flatMap((expected): Contender[] => {
  const suffix = expected ? '_expected' : '';
  const emmett = `emmett_pg_append_emmett${suffix}_events_per_s`;
  return [
    { name: emmett, unit: 'events/s', run: () => emmettRun(expected) },
    { name: `emmett_pg_append_causeway_adapter${suffix}_events_per_s`, unit: 'events/s', baseline: emmett, goal: 'ratio ≥ 1.5', run: () => adapterRun(expected) },
    { name: `emmett_pg_append_causeway_http_batch${suffix}_events_per_s`, unit: 'events/s', baseline: emmett, goal: 'ratio ≥ 1.0', run: () => httpBatchRun(expected) },
  ];
});

export const emmettFigures: FigureGroup = {
  names: emmettContenders.map((c) => c.name),
  async run() {
    ensurePeers();
    const measured = await interleaved(emmettContenders, ROUNDS);
    console.log(roundsTable('emmett_pg_append', measured));
    return figuresOf(measured);
  },
};

const rawContenders: Contender[] = [
  { name: 'raw_pg_insert_rows_per_s', unit: 'rows/s', run: rawInsertRun },
  {
    name: 'pg_durable_events_per_s',
    unit: 'events/s',
    baseline: 'raw_pg_insert_rows_per_s',
    goal: 'ratio ≥ 0.5',
    run: async () => runEngine(await freshDatabase('bench_causeway')),
  },
];

export const rawPostgresFigures: FigureGroup = {
  names: rawContenders.map((c) => c.name),
  async run() {
    const measured = await interleaved(rawContenders, ROUNDS);
    console.log(roundsTable('raw_pg_insert_rows_per_s and pg_durable_events_per_s', measured));
    return figuresOf(measured);
  },
};
