/**
 * `POST /api/imports/shiviz` cannot stall the server: against a real server in its own process (so that the
 * health checks are timed by a process the import cannot hold up), a catastrophic regex answers a 400
 * `regex_timeout` at the time limit and the body that made the default regex quadratic answers at once, with
 * `/api/health` fast throughout; a real log is stored as the parser reads it.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDraft } from '../../../shared/event.js';
import { parseShiViz, SHIVIZ_REGEX, shiVizDrafts } from '../../../shared/shiviz.js';
import { DEFAULTS } from '../../config.js';
import { client } from '../testing/client.js';
import { exited, spawnServer } from '../../testing/spawn-server.js';

/** The server runs with the default time limit. */
const LIMIT_MS = DEFAULTS.imports.parseTimeoutMs;
const TEXT = { 'content-type': 'text/plain' };
/**
 * Health while an import runs: nine answers in ten under 100 ms, as the issue asks, and none held up for a second
 * (the old parser held it for 18 s and more). The slowest answer gets that leeway because on a busy shared machine
 * the scheduler alone can delay one by a few hundred milliseconds.
 */
const HEALTHY_MS = 100;
const STALL_MS = 1000;
/** Health answers gathered around each import at least, so that nine in ten means something. */
const HEALTH_SAMPLES = 20;

const dir = mkdtempSync(join(tmpdir(), 'causeway-imports-'));
let proc: ChildProcess | undefined;
let url: string;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  const child = spawnServer(join(dir, 'imports.db'));
  proc = child.proc;
  url = (await child.ready).url;
  api = client(url);
  // The parser's first worker starts on the first import; later imports find it ready.
  expect((await api.post('/api/imports/shiviz?name=warm-up.log', 'w {"w":1}\nwarm up\n', TEXT)).status).toBe(201);
});
afterAll(async () => {
  if (proc) {
    proc.kill('SIGTERM');
    // A server stuck in a regex cannot drain: it is killed rather than left spinning.
    const killer = setTimeout(() => proc?.kill('SIGKILL'), 5000);
    await exited(proc);
    clearTimeout(killer);
  }
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Asks `/api/health` one request after another while `work` runs (and on, up to HEALTH_SAMPLES answers): the work's
 * answer and time, and how long health took.
 */
async function healthDuring<T>(work: Promise<T>) {
  const started = performance.now();
  let elapsedMs = 0;
  const answer = work.finally(() => (elapsedMs = performance.now() - started));
  const times: number[] = [];
  while (elapsedMs === 0 || times.length < HEALTH_SAMPLES) {
    const t = performance.now();
    const health = await fetch(`${url}/api/health`);
    await health.text();
    expect(health.status).toBe(200);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { answer: await answer, elapsedMs, health: { p90: times[Math.floor(times.length * 0.9)]!, slowest: times.at(-1)! } };
}

function expectHealthy(health: { p90: number; slowest: number }) {
  expect(health.p90).toBeLessThan(HEALTHY_MS);
  expect(health.slowest).toBeLessThan(STALL_MS);
}

const importing = (query: string, body: string) => api.post(`/api/imports/shiviz?${query}`, body, TEXT);

describe('a ShiViz import cannot stall the server', () => {
  it('answers a catastrophic regex with a 400 regex_timeout at its time limit, health fast throughout', async () => {
    // (a+)+ against 30 a's and a "!" backtracks 2^30 times: half a minute on the event loop.
    const regex = '^(?<host>(a+)+)$ (?<clock>{.*})';
    const { answer, health, elapsedMs } = await healthDuring(importing(new URLSearchParams({ regex }).toString(), `${'a'.repeat(30)}!\n`));
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: 'regex_timeout', details: [{ path: 'regex', limitMs: LIMIT_MS }] });
    expect(answer.json.error.message).toContain(`longer than ${LIMIT_MS} ms`);
    expect(elapsedMs).toBeLessThan(LIMIT_MS + 5000);
    expectHealthy(health);
    // The worker was replaced: the next import parses.
    expect((await importing('name=after-timeout.log', 'a {"a":1}\nx\n')).status).toBe(201);
  });

  it('answers 210 KB of "a {" (quadratic for the default regex) at once with a 400 no_match, health fast throughout', async () => {
    const { answer, health } = await healthDuring(importing('name=a.log', 'a {'.repeat(70_000)));
    // Parsed to the end within the limit: no parse_timeout.
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('no_match');
    expectHealthy(health);
  });

  it('answers 2 MB of "a {" with a 400 no_match too, in the ShiViz layout as well: parsed within the limit', async () => {
    const body = 'a {'.repeat(700_000);
    for (const query of ['name=a.log', `regex=${encodeURIComponent(SHIVIZ_REGEX)}`]) {
      const answer = await importing(query, body);
      expect(answer.status).toBe(400);
      expect(answer.json.error.code).toBe('no_match');
    }
  });

  it('imports chord.log, across several append batches, as the parser reads it on the main thread', async () => {
    const log = readFileSync('/work/shared/data/shiviz/chord.log', 'utf8');
    const r = await importing('name=chord.log', log);
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ imported: 1235, events: 1235, source: 'shiviz://chord.log', executions: [''] });
    expect(r.json.processes).toHaveLength(8);

    const parsed = parseShiViz(log);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const expected = shiVizDrafts(parsed.log, { source: 'shiviz://chord.log', start: new Date(0) });
    const shape = (e: EventDraft) => ({ id: e.id, process: e.process, vectorClock: e.vectorClock, data: e.data, causationId: e.causationId, correlationId: e.correlationId, stream: e.stream });
    expect((await readAll('shiviz://chord.log')).map(shape)).toEqual(expected.map(shape));
  });

  it('answers a body that is not UTF-8 with a 400 invalid_body, as before', async () => {
    const r = await api.post('/api/imports/shiviz', new Uint8Array([0x61, 0x20, 0xff, 0x0a]), TEXT);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('invalid_body');
  });
});

/** Every stored event of a source, page by page. */
async function readAll(source: string): Promise<EventDraft[]> {
  const out: EventDraft[] = [];
  for (let after = 0; ; ) {
    const page = await api.get(`/api/events?${new URLSearchParams({ source, after: String(after), limit: '10000' }).toString()}`);
    out.push(...(page.json.events as EventDraft[]));
    if (page.json.next === null) return out;
    after = page.json.next as number;
  }
}
