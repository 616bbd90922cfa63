import { describe, expect, it } from 'vitest';
import { SharedReads } from './shared-reads.js';

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe('shared reads', () => {
  it('runs one read for callers of the same key while it is in flight, and reads again once it settled', async () => {
    const reads = new SharedReads<number>();
    let calls = 0;
    const pending = deferred<number>();
    const read = () => (calls++, pending.promise);
    const a = reads.get('page after 5', read);
    const b = reads.get('page after 5', read);
    expect(calls).toBe(1);
    pending.resolve(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    expect(reads.size).toBe(0);
    await reads.get('page after 5', async () => (calls++, 8));
    expect(calls).toBe(2);
  });

  it('keeps different keys apart', async () => {
    const reads = new SharedReads<string>();
    const [a, b] = await Promise.all([reads.get('x', async () => 'x'), reads.get('y', async () => 'y')]);
    expect([a, b]).toEqual(['x', 'y']);
  });

  it('gives a failure to every caller of the read, and does not keep it', async () => {
    const reads = new SharedReads<number>();
    const pending = deferred<number>();
    const a = reads.get('k', () => pending.promise);
    const b = reads.get('k', () => Promise.resolve(1));
    pending.reject(new Error('connection lost'));
    await expect(a).rejects.toThrow('connection lost');
    await expect(b).rejects.toThrow('connection lost');
    expect(await reads.get('k', () => Promise.resolve(2))).toBe(2);
  });
});
