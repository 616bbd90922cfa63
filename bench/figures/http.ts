/**
 * The HTTP API under load (autocannon) against a real server — its own process, SQLite in a temp dir, warmed up by
 * 3 s of the same load before each measured run:
 * - `http_batch_ingest_events_per_s`: batches of 500 CloudEvents from BATCH_CONNECTIONS connections, no flow
 *   deployed: events acknowledged (202, so committed) per second.
 * - `http_batch_events_per_s`: the same with the bench flow deployed (http in → filter → transform); as in
 *   engine_durable_events_per_s (the baseline), an "event" is a stored event: each published one and the one the
 *   flow derives from it, counted once the flow has caught up.
 * - `http_single_requests_per_s`: single structured events as fast as 16 connections go, flow deployed.
 * - `http_single_p99_ms` / `http_single_p50_ms`: latency of single events offered at a fixed 5,000 requests/s
 *   (the goal's load), flow deployed; `http_single_offered_rate_achieved` is the share of that rate the server
 *   answered — below 1, the server could not keep up and the latencies include its queue.
 * The rates' spread is that of the run's seconds (autocannon counts the answers of each second).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, spawnServer } from '../../server/testing/spawn-server.js';
import type { Spread } from '../stats.js';
import type { FigureGroup } from '../figure-group.js';

interface Histogram {
  average: number;
  min: number;
  max: number;
  p50: number;
  p99: number;
}
export interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  duration: number;
  errors: number;
  non2xx: number;
  '2xx': number;
}
export interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  overallRate?: number;
  requests: (AutocannonRequest & { setupRequest?: (request: AutocannonRequest) => AutocannonRequest })[];
}
type Autocannon = (options: AutocannonOptions) => Promise<AutocannonResult>;

export const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const BATCH = 500;
/**
 * Connections sending batches, each waiting for its answer before it sends the next. With 4, the event loop and the
 * writer thread wait on each other part of the time (about 55 % and 60 % busy here); 8 keep both busier: +14 % on
 * average over four alternating pairs of runs, and 16 no more than 8.
 */
const BATCH_CONNECTIONS = 8;
export const DURATION_S = 8;
export const WARMUP_S = 3;
const OFFERED_RATE = 5000;

export const flow = {
  name: 'bench',
  nodes: [
    { id: 'in', type: 'http', config: { types: ['reading.*'] } },
    { id: 'hot', type: 'filter', config: { expression: 'data.t > -1000' } },
    { id: 'conv', type: 'transform', config: { expression: "{'celsius': data.t}", type: 'reading.converted' } },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'hot' },
    { id: 'e2', source: 'hot', target: 'conv' },
  ],
};

let sequence = 0;
export const event = () => {
  const i = sequence++;
  return { specversion: '1.0', id: `bench-${process.pid}-${i}`, source: `bench://sensor-${i % 16}`, type: 'reading.recorded', subject: `sensor-${i % 16}`, data: { t: (i % 200) / 10 } };
};

interface Server {
  url: string;
  flowId: string;
}

/**
 * Starts the server in its own process (the load generator must not share its event loop) and, unless told not
 * to, deploys the flow.
 */
async function withServer<T>(dir: string, name: string, work: (server: Server) => Promise<T>, deploy = true): Promise<T> {
  const { proc: child, ready } = spawnServer(join(dir, `${name}.db`));
  try {
    const { url } = await ready;
    if (!deploy) return await work({ url, flowId: '' });
    const created = (await (await fetch(`${url}/api/flows`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(flow) })).json()) as { id: string };
    const deployed = await fetch(`${url}/api/flows/${created.id}/deploy`, { method: 'POST' });
    if (deployed.status !== 200) throw new Error(`deploy failed: ${await deployed.text()}`);
    return await work({ url, flowId: created.id });
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}

/** How many events the flow's last node has derived so far. */
async function derivedSoFar(server: Server): Promise<number> {
  const status = (await (await fetch(`${server.url}/api/flows/${server.flowId}/status`)).json()) as { nodes: Record<string, { out: number }> };
  return status.nodes.conv?.out ?? 0;
}

/** Waits until the flow has derived `count` events in all; returns when that happened. */
async function caughtUp(server: Server, count: number): Promise<number> {
  while ((await derivedSoFar(server)) < count) await new Promise((r) => setTimeout(r, 20));
  return performance.now();
}

/**
 * Load the server the same way for a moment, unmeasured: a server runs warm, with its code compiled and its
 * modules loaded, and the first seconds of a fresh process measure those instead.
 */
async function warmUp(server: Server, request: typeof batchRequest, options: { connections: number; overallRate?: number }): Promise<number> {
  return checked(await autocannon({ url: server.url, duration: WARMUP_S, requests: [request], ...options }), 'warm-up').requests.total;
}

const batchRequest = {
  method: 'POST',
  path: '/api/events',
  headers: { 'content-type': 'application/cloudevents-batch+json' },
  setupRequest: (request: AutocannonRequest) => ({ ...request, body: JSON.stringify(Array.from({ length: BATCH }, event)) }),
};
export const singleRequest = {
  method: 'POST',
  path: '/api/events',
  headers: { 'content-type': 'application/cloudevents+json' },
  setupRequest: (request: AutocannonRequest) => ({ ...request, body: JSON.stringify(event()) }),
};

/** The slowest and fastest second of a run, answers per second times `per` (events per request). */
const perSecond = (result: AutocannonResult, per = 1): Spread => ({ low: result.requests.min * per, high: result.requests.max * per, kind: 'min–max', of: `${DURATION_S} s` });

export function checked(result: AutocannonResult, run: string): AutocannonResult {
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${run}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result;
}

/** Events acknowledged per second, no flow deployed. */
async function batchIngestRun(dir: string): Promise<{ value: number; spread: Spread }> {
  return withServer(
    dir,
    'ingest',
    async (server) => {
      await warmUp(server, batchRequest, { connections: BATCH_CONNECTIONS });
      const started = performance.now();
      const result = checked(await autocannon({ url: server.url, connections: BATCH_CONNECTIONS, duration: DURATION_S, requests: [batchRequest] }), 'batch ingest');
      return { value: (result.requests.total * BATCH) / ((performance.now() - started) / 1000), spread: perSecond(result, BATCH) };
    },
    false,
  );
}

/** Stored events per second (published and derived) until the deployed flow has caught up. */
async function batchRun(dir: string): Promise<number> {
  return withServer(dir, 'batch', async (server) => {
    const warm = (await warmUp(server, batchRequest, { connections: BATCH_CONNECTIONS })) * BATCH;
    await caughtUp(server, warm);
    const started = performance.now();
    const result = checked(await autocannon({ url: server.url, connections: BATCH_CONNECTIONS, duration: DURATION_S, requests: [batchRequest] }), 'batch run');
    const published = result.requests.total * BATCH;
    const done = await caughtUp(server, warm + published);
    return (published * 2) / ((done - started) / 1000);
  });
}

async function singleRun(dir: string): Promise<{ value: number; spread: Spread }> {
  return withServer(dir, 'single', async (server) => {
    await warmUp(server, singleRequest, { connections: 16 });
    const result = checked(await autocannon({ url: server.url, connections: 16, duration: DURATION_S, requests: [singleRequest] }), 'single run');
    return { value: result.requests.total / result.duration, spread: perSecond(result) };
  });
}

async function offeredRun(dir: string): Promise<{ p50: number; p99: number; achieved: number }> {
  return withServer(dir, 'offered', async (server) => {
    await warmUp(server, singleRequest, { connections: 64, overallRate: OFFERED_RATE });
    const result = checked(
      await autocannon({ url: server.url, connections: 64, duration: DURATION_S, overallRate: OFFERED_RATE, requests: [singleRequest] }),
      'offered-rate run',
    );
    return { p50: result.latency.p50, p99: result.latency.p99, achieved: result.requests.total / result.duration / OFFERED_RATE };
  });
}

export const httpFigures: FigureGroup = {
  names: ['http_batch_ingest_events_per_s', 'http_batch_events_per_s', 'http_single_requests_per_s', 'http_single_p50_ms', 'http_single_p99_ms', 'http_single_offered_rate_achieved'],
  baselines: ['engine_durable_events_per_s', 'raw_sqlite_insert_rows_per_s'],
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'causeway-bench-http-'));
    try {
      const ingest = await batchIngestRun(dir);
      const batch = await batchRun(dir);
      const single = await singleRun(dir);
      const offered = await offeredRun(dir);
      return [
        { name: 'http_batch_ingest_events_per_s', ...ingest, unit: 'events/s', baseline: 'raw_sqlite_insert_rows_per_s', goal: '≥ 100,000' },
        { name: 'http_batch_events_per_s', value: batch, unit: 'events/s', baseline: 'engine_durable_events_per_s' },
        { name: 'http_single_requests_per_s', ...single, unit: 'requests/s' },
        { name: 'http_single_p50_ms', value: offered.p50, unit: 'ms' },
        { name: 'http_single_p99_ms', value: offered.p99, unit: 'ms', goal: '< 20 at 5,000 requests/s' },
        { name: 'http_single_offered_rate_achieved', value: offered.achieved, unit: 'of 5,000 requests/s', goal: '1' },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
