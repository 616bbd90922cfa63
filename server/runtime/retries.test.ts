import { afterEach, describe, expect, it, vi } from 'vitest';
import { StoreError } from '../store/index.js';
import { withRetries } from './retries.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A call that fails `failures` times with `error`, then answers `ok`; counts its calls. */
function flaky(failures: number, error: unknown) {
  let calls = 0;
  const call = async () => {
    calls++;
    if (calls <= failures) throw error;
    return 'ok';
  };
  return { call, calls: () => calls };
}

describe('a store call with retries', () => {
  it('tries again after a mishap, waiting longer each time, and answers once the call succeeds', async () => {
    vi.useFakeTimers();
    const { call, calls } = flaky(2, new Error('connection reset'));
    const answer = withRetries(call);
    await vi.advanceTimersByTimeAsync(99);
    expect(calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls()).toBe(2);
    await vi.advanceTimersByTimeAsync(200);
    expect(calls()).toBe(3);
    await expect(answer).resolves.toBe('ok');
  });

  it('gives up after the last attempt with the last error', async () => {
    vi.useFakeTimers();
    const { call, calls } = flaky(10, new Error('down'));
    const answer = withRetries(call, 3);
    const settled = expect(answer).rejects.toThrow('down');
    await vi.advanceTimersByTimeAsync(1_000);
    await settled;
    expect(calls()).toBe(3);
  });

  it("never retries the store's own answer", async () => {
    const { call, calls } = flaky(1, new StoreError('version_conflict', 'expected 2'));
    await expect(withRetries(call)).rejects.toBeInstanceOf(StoreError);
    expect(calls()).toBe(1);
  });
});
