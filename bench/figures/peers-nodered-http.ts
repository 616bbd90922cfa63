/**
 * `nodered_http_single`: single events over HTTP, as fast as 16 connections go (autocannon), through the same flow
 * in both — Node-RED's `http in → switch → change → http response` (bench/peers/node-red/http-flow.json), in memory;
 * Causeway's http in → filter → transform (the HTTP bench's flow), which acknowledges each event once it is
 * committed, on durable SQLite and on the in-memory store. Each run is a fresh process, warmed up by 3 s of the
 * same load, then measured for 8 s; the three take turns, round after round.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { figuresOf, interleaved, roundsTable, type Contender } from '../rounds.js';
import type { FigureGroup } from '../figure-group.js';
import { autocannon, checked, DURATION_S, singleRequest, WARMUP_S } from './http.js';
import { withCauseway } from './peers-causeway.js';
import { ensurePeers } from './peers-install.js';
import { withNodeRed } from './peers-nodered.js';

const ROUNDS = 3;
const CONNECTIONS = 16;

/**
 * The HTTP figure's single event, as plain JSON: Node-RED's `http in` parses only `application/json`, and Causeway
 * reads a JSON object as a structured CloudEvent, so both parse the same bytes the same way.
 */
const request = { ...singleRequest, headers: { 'content-type': 'application/json' } };

/** Requests answered per second at `url`, after a warm-up. */
async function load(url: string, run: string): Promise<number> {
  checked(await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_S, requests: [request] }), `${run} warm-up`);
  const result = checked(await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, requests: [request] }), run);
  return result.requests.total / result.duration;
}

function contenders(dir: string): Contender[] {
  const nodered = 'nodered_http_single_nodered_requests_per_s';
  return [
    { name: nodered, unit: 'requests/s', run: () => withNodeRed('http-flow.json', (n) => load(n.url, 'Node-RED')) },
    {
      name: 'nodered_http_single_causeway_sqlite_requests_per_s',
      unit: 'requests/s',
      baseline: nodered,
      goal: 'ratio ≥ 3',
      run: (round) => withCauseway(`sqlite:${join(dir, `single-${round}.db`)}`, (s) => load(s.url, 'Causeway on SQLite'), { deploy: true }),
    },
    {
      name: 'nodered_http_single_causeway_memory_requests_per_s',
      unit: 'requests/s',
      baseline: nodered,
      run: () => withCauseway('memory:', (s) => load(s.url, 'Causeway in memory'), { deploy: true }),
    },
  ];
}

export const noderedHttpFigures: FigureGroup = {
  names: contenders('').map((c) => c.name),
  async run() {
    ensurePeers();
    const dir = mkdtempSync(join(tmpdir(), 'causeway-bench-peers-'));
    try {
      const measured = await interleaved(contenders(dir), ROUNDS);
      console.log(roundsTable('nodered_http_single', measured));
      return figuresOf(measured);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
