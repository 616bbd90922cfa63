import { afterEach, describe, expect, it } from 'vitest';
import { createScript } from './create-script.js';
import { SandboxError, type Script, type ScriptOptions } from './types.js';

const scripts: Script[] = [];
afterEach(() => {
  for (const script of scripts.splice(0)) script.dispose();
});

async function script(source: string, options: Partial<Omit<ScriptOptions, 'source'>> = {}): Promise<Script> {
  const created = await createScript({ source, params: ['event'], timeoutMs: 100, memoryMb: 8, ...options });
  scripts.push(created);
  return created;
}

describe('createScript', () => {
  it('returns the value the function returns, as data', async () => {
    const s = await script('return {type: "doubled", data: event.data.value * 2, tags: [event.type]}');
    expect(s.call({ type: 'reading', data: { value: 21 } })).toEqual({ ok: true, value: { type: 'doubled', data: 42, tags: ['reading'] } });
    expect(s.call({ type: 'other', data: { value: 1 } })).toEqual({ ok: true, value: { type: 'doubled', data: 2, tags: ['other'] } });
  });

  it('passes several arguments in order and reads no return as null', async () => {
    const sum = await script('return state + event', { params: ['state', 'event'] });
    expect(sum.call(40, 2)).toEqual({ ok: true, value: 42 });
    const nothing = await script('const x = 1;');
    expect(nothing.call({})).toEqual({ ok: true, value: null });
  });

  it('refuses a source that does not parse, naming the line', async () => {
    const failure = await createScript({ source: 'const a = 1;\nreturn +;', params: ['event'], timeoutMs: 50, memoryMb: 8 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SandboxError);
    expect(failure).toMatchObject({ code: 'syntax', line: 2 });
  });

  it('refuses a source that closes the function early to run code around it', async () => {
    const failure = await createScript({
      source: 'return 1 }); globalThis.leak = 1; (function () {',
      params: ['event'],
      timeoutMs: 50,
      memoryMb: 8,
    }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'syntax' });
  });

  it('interrupts an endless loop within a bound and stays usable', async () => {
    const s = await script('if (event.spin) { while (true) {} } return "done"', { timeoutMs: 50 });
    const started = Date.now();
    const result = s.call({ spin: true });
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ ok: false, error: { code: 'timeout' } });
    expect(elapsed).toBeGreaterThanOrEqual(45);
    expect(elapsed).toBeLessThan(1_000);
    expect(s.call({ spin: false })).toEqual({ ok: true, value: 'done' });
  });

  it('gives each call its own time budget', async () => {
    const s = await script('const end = Date.now() + 30; while (Date.now() < end) {} return 1', { timeoutMs: 80 });
    for (let i = 0; i < 4; i++) expect(s.call({})).toEqual({ ok: true, value: 1 });
  });

  it('stops a memory bomb with a memory error, and the next call works', async () => {
    const s = await script('if (event.bomb) { const a = []; while (true) a.push({ n: a.length, text: "reading " + a.length }); } return "fine"', {
      memoryMb: 4,
      timeoutMs: 5_000,
    });
    const result = s.call({ bomb: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'memory' } });
    expect(s.call({ bomb: false })).toEqual({ ok: true, value: 'fine' });
  });

  it('turns deep recursion into an error instead of crashing the host', async () => {
    const s = await script('function down(n) { return down(n + 1) + 1 } return down(0)', { timeoutMs: 2_000 });
    const result = s.call({});
    expect(result).toMatchObject({ ok: false, error: { code: 'error', message: expect.stringMatching(/stack overflow/) } });
    const fine = await script('function down(n) { return n === 0 ? 0 : down(n - 1) + 1 } return down(100)');
    expect(fine.call({})).toEqual({ ok: true, value: 100 });
  });

  it('offers no host access: no require, process, fetch or timers', async () => {
    const s = await script(
      'return [typeof require, typeof process, typeof fetch, typeof setTimeout, typeof setInterval, typeof XMLHttpRequest, typeof globalThis.std, typeof globalThis.os, typeof Date, typeof Math.random]',
    );
    expect(s.call({})).toEqual({
      ok: true,
      value: ['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'function', 'function'],
    });
    const calling = await script('return require("fs")');
    expect(calling.call({})).toMatchObject({ ok: false, error: { code: 'error', message: expect.stringMatching(/require/) } });
  });

  it('works on copies: mutating the arguments changes nothing outside', async () => {
    const s = await script('event.data.value = 999; event.extra = true; return event.data.value');
    const event = { type: 'reading', data: { value: 1 } };
    expect(s.call(event)).toEqual({ ok: true, value: 999 });
    expect(event).toEqual({ type: 'reading', data: { value: 1 } });
  });

  it('returns a copy of the value, not a live object', async () => {
    const s = await script('return event', { params: ['event'] });
    const first = s.call({ n: 1 });
    expect(first).toEqual({ ok: true, value: { n: 1 } });
  });

  it('reports a thrown error with its message and the line in the user source', async () => {
    const s = await script('const limit = 10;\nif (event.value > limit) {\n  throw new Error("value too high: " + event.value);\n}\nreturn event.value');
    expect(s.call({ value: 11 })).toEqual({ ok: false, error: { code: 'error', message: 'value too high: 11', line: 3 } });
    expect(s.call({ value: 3 })).toEqual({ ok: true, value: 3 });
  });

  it('names the kind of a built-in error', async () => {
    const s = await script('\nreturn event.missing.field');
    expect(s.call({})).toMatchObject({ ok: false, error: { code: 'error', message: expect.stringMatching(/^TypeError: /), line: 2 } });
  });

  it('reports a thrown non-error value as its text', async () => {
    const s = await script('throw "plain failure"');
    expect(s.call({})).toEqual({ ok: false, error: { code: 'error', message: 'plain failure' } });
  });

  it('rejects a result that is not JSON', async () => {
    const fn = await script('return function () {}');
    expect(fn.call({})).toMatchObject({ ok: false, error: { code: 'invalid_result' } });
    const nested = await script('return {type: "x", data: {callback: () => 1}}');
    expect(nested.call({})).toMatchObject({ ok: false, error: { code: 'invalid_result', message: expect.stringMatching(/callback/) } });
    const cyclic = await script('const a = {}; a.self = a; return a');
    expect(cyclic.call({})).toMatchObject({ ok: false, error: { code: 'invalid_result' } });
    const promise = await script('return Promise.resolve(1)');
    expect(promise.call({})).toMatchObject({ ok: false, error: { code: 'invalid_result', message: expect.stringMatching(/Promise/) } });
    const big = await script('return 10n');
    expect(big.call({})).toMatchObject({ ok: false, error: { code: 'invalid_result' } });
  });

  it('answers a disposed script with an error', async () => {
    const s = await createScript({ source: 'return 1', params: [], timeoutMs: 50, memoryMb: 8 });
    s.dispose();
    expect(s.call()).toMatchObject({ ok: false, error: { code: 'error' } });
    s.dispose();
  });

  it('is fast enough to call for every event', async () => {
    const s = await script('return {type: "t", data: event.data.value + 1}');
    const calls = 2_000;
    const started = performance.now();
    for (let i = 0; i < calls; i++) s.call({ type: 'x', data: { value: i } });
    const perCall = (performance.now() - started) / calls;
    expect(perCall).toBeLessThan(1);
  });
});
