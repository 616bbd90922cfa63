import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../shared/event.js';
import { UserCodePool } from './pool.js';

const pool = new UserCodePool({ threads: 2 });
afterAll(() => pool.close());

const eventWith = (data: unknown, position = 1): StoredEvent => ({ id: `e${position}`, position, data }) as unknown as StoredEvent;

/**
 * In the event loop's thread, user code ran for seconds to minutes; in its own thread none of it shows here. The
 * bound leaves room for a loaded machine's scheduling, which alone delays a timer by tens of milliseconds.
 */
const LOOP_BOUND_MS = 250;

/** The event loop's worst delay while `work` runs: a timer that should fire every 10 ms. */
async function worstLoopDelay<T>(work: () => Promise<T>): Promise<{ value: T; worstMs: number }> {
  let worstMs = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worstMs = Math.max(worstMs, now - last - 10);
    last = now;
  }, 10);
  try {
    const value = await work();
    return { value, worstMs };
  } finally {
    clearInterval(timer);
  }
}

const evaluate = (source: string, inputs: StoredEvent[]) => pool.run(pool.register({ kind: 'jsonata', source }), { op: 'evaluate', inputs });
const call = (source: string, args: unknown[][], timeoutMs = 50, memoryMb = 16) =>
  pool.run(pool.register({ kind: 'script', source, params: ['event'], timeoutMs, memoryMb }), { op: 'call', args });

describe('UserCodePool: JSONata', () => {
  it('evaluates an expression over each input, in order', async () => {
    const { results } = await evaluate('$sum(data.values) & "-" & $uppercase(data.name)', [
      eventWith({ values: [1, 2], name: 'a' }),
      eventWith({ values: [3], name: 'b' }),
    ]);
    expect(results).toEqual([
      { ok: true, value: '3-A' },
      { ok: true, value: '3-B' },
    ]);
  });

  it('fails unbounded recursion with too_deep, and the event loop never waits for it', async () => {
    const { value, worstMs } = await worstLoopDelay(() => evaluate('($f := function($n){ $f($n+1) }; $f(0))', [eventWith({})]));
    expect(value.results[0]).toMatchObject({ ok: false, failure: { code: expect.stringMatching(/^(too_deep|timeout)$/) } });
    expect(worstMs).toBeLessThan(LOOP_BOUND_MS);
  });

  it('fails a heap bomb on memory or time, and the next input is answered', async () => {
    const { value, worstMs } = await worstLoopDelay(() => evaluate('$count([1..1e7].([1..1e7]))', [eventWith({}, 1)]));
    expect(value.results[0]).toMatchObject({ ok: false, failure: { code: expect.stringMatching(/^(memory|timeout)$/) } });
    expect(worstMs).toBeLessThan(LOOP_BOUND_MS);
    const after = await evaluate('data.n + 1', [eventWith({ n: 1 })]);
    expect(after.results).toEqual([{ ok: true, value: 2 }]);
  });

  it('stops a catastrophic regex by terminating its thread; the rest of the batch is still answered', async () => {
    const bad = eventWith({ s: `${'a'.repeat(40)}!` }, 1);
    const good = eventWith({ s: 'aaa' }, 2);
    const started = Date.now();
    const { value, worstMs } = await worstLoopDelay(() => evaluate('$contains(data.s, /^(a+)+$/)', [good, bad, good]));
    expect(value.results).toEqual([
      { ok: true, value: true },
      { ok: false, failure: { code: 'timeout', message: expect.stringContaining('1000 ms') } },
      { ok: true, value: true },
    ]);
    expect(worstMs).toBeLessThan(LOOP_BOUND_MS);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('refuses a result larger than the limit', async () => {
    const { results } = await evaluate('$pad("", 2000000, "x")', [eventWith({})]);
    expect(results[0]).toMatchObject({ ok: false, failure: { code: 'too_large' } });
  });
});

describe('UserCodePool: JavaScript', () => {
  it('calls a script with each argument list', async () => {
    const { results } = await call('return {type: "t", data: event.data.n * 2};', [[{ data: { n: 2 } }], [{ data: { n: 5 } }]]);
    expect(results).toEqual([
      { ok: true, value: { type: 't', data: 4 } },
      { ok: true, value: { type: 't', data: 10 } },
    ]);
  });

  it('stops a split/join loop at its 50 ms limit although QuickJS polls its interrupt too rarely to', async () => {
    const source = "let s = 'ab'.repeat(200000); for (let i = 0; i < 1e9; i++) { s = s.split('').join(''); } return s.length;";
    const started = Date.now();
    const { value, worstMs } = await worstLoopDelay(() => call(source, [[{}], [{ ok: 1 }]]));
    expect(value.results[0]).toMatchObject({ ok: false, failure: { code: 'timeout' } });
    expect(value.results[1]).toMatchObject({ ok: false, failure: { code: 'timeout' } });
    expect(worstMs).toBeLessThan(LOOP_BOUND_MS);
    // Two items, each stopped by the watchdog at most a few hundred ms after its limit (not 20 s and more).
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('holds a 16 MB memory limit: the script fails with memory and the process does not grow', async () => {
    const before = process.memoryUsage().rss;
    const { results } = await call('const a = []; for (;;) a.push(new Array(100000).fill(1.5)); return 1;', [[{}]], 5_000, 16);
    expect(results[0]).toMatchObject({ ok: false, failure: { code: 'memory' } });
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('folds an actor reducer per key with its supervision strategy', async () => {
    const handle = pool.register({
      kind: 'reducer',
      source: "if (event.data.bad) throw new Error('bad'); return {state: {n: state.n + 1}, emit: {type: 'count', data: state.n + 1}};",
      timeoutMs: 100,
      memoryMb: 16,
      initialState: { n: 0 },
      strategy: 'restart',
    });
    const items = [
      { key: 'a', event: eventWith({}, 1) },
      { key: 'b', event: eventWith({}, 2) },
      { key: 'a', event: eventWith({ bad: true }, 3) },
      { key: 'a', event: eventWith({}, 4) },
    ];
    const { results, states } = await pool.run(handle, { op: 'fold', items, states: [['b', { state: { n: 10 }, stopped: false }]] });
    expect(results.map((r) => (r.ok ? r.value : r.failure.code))).toEqual([
      [{ kind: 'emit', type: 'count', data: 1 }],
      [{ kind: 'emit', type: 'count', data: 11 }],
      'error',
      [{ kind: 'emit', type: 'count', data: 1 }],
    ]);
    expect(new Map(states)).toEqual(
      new Map([
        ['b', { state: { n: 11 }, stopped: false }],
        ['a', { state: { n: 1 }, stopped: false }],
      ]),
    );
  });
});

describe('UserCodePool: threads', () => {
  it('does not keep a process alive once its work is done, even when nobody closes it', () => {
    const child = fileURLToPath(new URL('./testing/idle-pool-child.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8', timeout: 20_000 });
    expect(run.error, 'the process was still running after 20 s').toBeUndefined();
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('{"ok":true,"value":2}');
  });
});
