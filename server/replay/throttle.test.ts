import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttleLatest } from './throttle.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('throttling to the latest value', () => {
  it('sends the first value at once', () => {
    const sent: number[] = [];
    throttleLatest((v: number) => sent.push(v), 100).push(1);
    expect(sent).toEqual([1]);
  });

  it('sends at most once per interval, ending on the latest value pushed', () => {
    const sent: number[] = [];
    const t = throttleLatest((v: number) => sent.push(v), 100);
    t.push(1);
    t.push(2);
    t.push(3);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(99);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([1, 3]);
    vi.advanceTimersByTime(500);
    expect(sent).toEqual([1, 3]);
  });

  it('sends a value pushed after a quiet interval at once', () => {
    const sent: number[] = [];
    const t = throttleLatest((v: number) => sent.push(v), 100);
    t.push(1);
    vi.advanceTimersByTime(150);
    t.push(2);
    expect(sent).toEqual([1, 2]);
  });

  it('sends nothing after cancel, not even a waiting value', () => {
    const sent: number[] = [];
    const t = throttleLatest((v: number) => sent.push(v), 100);
    t.push(1);
    t.push(2);
    t.cancel();
    t.push(3);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([1]);
  });
});
