import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { isImportError } from './import-error.js';
import { draftsOf, runShiVizJob, type ShiVizJob } from './shiviz-job.js';
import { ShiVizPool, type ShiVizPoolOptions } from './shiviz-pool.js';

const CHORD = readFileSync('/work/shared/data/shiviz/chord.log', 'utf8');
const job = (text = CHORD, over: Partial<ShiVizJob> = {}): ShiVizJob => ({
  body: new TextEncoder().encode(text),
  form: false,
  regex: null,
  delimiter: null,
  source: 'shiviz://chord.log',
  start: 0,
  batchSize: 500,
  ...over,
});
/** Backtracks 2^30 times on its line before it fails: minutes, unless stopped. */
const catastrophic = job(`${'a'.repeat(30)}!\n`, { regex: '^(?<host>(a+)+)$(?<clock>{})' });

const pools: ShiVizPool[] = [];
const poolOf = (options: Partial<ShiVizPoolOptions> = {}) => {
  const pool = new ShiVizPool({ timeoutMs: 5000, ...options });
  pools.push(pool);
  return pool;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** The ImportError a parse failed with. */
async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isImportError(error)) throw new Error(`expected an ImportError, got ${String(error)}`);
  return error;
}

describe('parsing ShiViz logs in worker threads', () => {
  it('gives the drafts, in batches, that the parser gives on the main thread', async () => {
    const result = await poolOf().parse(job());
    const here = runShiVizJob(job());
    if (!result.ok || !here.ok) throw new Error('expected chord.log to parse');
    expect(result.batches).toHaveLength(Math.ceil(1235 / 500));
    expect(result.batches.flatMap(draftsOf)).toEqual(here.batches.flatMap(draftsOf));
    expect(result).toMatchObject({ events: 1235, executions: [''] });
    expect(result.processes).toHaveLength(8);
  });

  it("answers the log's own problems as the parser's error, and a body that is not UTF-8 as such", async () => {
    expect(await poolOf().parse(job('a {"a":1}\nx\nb {b:1}\ny\n'))).toMatchObject({ ok: false, error: { code: 'clock_not_json', line: 3 } });
    expect(await poolOf().parse({ ...job(), body: new Uint8Array([0x61, 0x20, 0xff, 0x0a]) })).toEqual({ ok: false, error: null });
  });

  it('stops a regex that runs past the limit with regex_timeout, and parses the next log in a new worker', async () => {
    const pool = poolOf({ timeoutMs: 500, workers: 1 });
    const error = await failure(pool.parse(catastrophic));
    expect(error.code).toBe('regex_timeout');
    expect(error.message).toContain('longer than 500 ms');
    expect(error.details).toMatchObject({ path: 'regex', limitMs: 500 });
    expect(await pool.parse(job('a {"a":1}\nx\n'))).toMatchObject({ ok: true, events: 1 });
  });

  it('calls a time-out of the built-in parser parse_timeout, not the regex', async () => {
    const error = await failure(poolOf({ timeoutMs: 1 }).parse(job(CHORD.repeat(20))));
    expect(error).toMatchObject({ code: 'parse_timeout', details: { path: 'body', limitMs: 1 } });
  });

  it('fails an import that runs its worker out of memory with parse_out_of_memory, and goes on', async () => {
    const pool = poolOf({ memoryMb: 16, workers: 1, timeoutMs: 60_000 });
    const error = await failure(pool.parse(job(CHORD.repeat(60))));
    expect(error).toMatchObject({ code: 'parse_out_of_memory', details: { limitMb: 16 } });
    expect(await pool.parse(job('a {"a":1}\nx\n'))).toMatchObject({ ok: true, events: 1 });
  });

  it('fails an import that throws in the worker with parse_failed, and the worker goes on', async () => {
    const pool = poolOf({ workers: 1 });
    const error = await failure(pool.parse({ ...job(), delimiter: 5 as unknown as string }));
    expect(error.code).toBe('parse_failed');
    expect(error.message).toContain('the ShiViz parser failed');
    expect(await pool.parse(job('a {"a":1}\nx\n'))).toMatchObject({ ok: true, events: 1 });
  });

  it('fails an import whose worker dies with parse_failed', async () => {
    const pool = poolOf({ moduleUrl: new URL('./testing/dies-on-import-worker.ts', import.meta.url) });
    expect(await failure(pool.parse(job()))).toMatchObject({ code: 'parse_failed', message: expect.stringContaining('broken by an import') as unknown });
  });

  it('fails the waiting imports when a worker cannot start, rather than starting workers for ever', async () => {
    const pool = poolOf({ moduleUrl: new URL('./testing/dies-at-start-worker.ts', import.meta.url), workers: 1 });
    const [a, b] = await Promise.all([failure(pool.parse(job())), failure(pool.parse(job()))]);
    expect([a.code, b.code]).toEqual(['parse_failed', 'parse_failed']);
    expect(a.message).toContain('broken at start-up');
  });

  it('refuses imports beyond the queue with imports_busy, and fails those under way when closed', async () => {
    const pool = poolOf({ timeoutMs: 60_000, workers: 1, maxQueued: 1 });
    const running = failure(pool.parse(catastrophic));
    const waiting = failure(pool.parse(job()));
    expect(await failure(pool.parse(job()))).toMatchObject({ code: 'imports_busy' });
    await pool.close();
    expect((await running).code).toBe('parse_failed');
    expect((await waiting).message).toContain('shutting down');
  });
});
