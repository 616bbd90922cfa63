import { describe, expect, it } from 'vitest';
import { Mailbox } from './mailbox.js';

describe('mailbox', () => {
  it('hands items over in order, in batches up to the asked size', async () => {
    const m = new Mailbox<number>(10);
    for (let i = 0; i < 5; i++) await m.push(i);
    expect(await m.take(3)).toEqual([0, 1, 2]);
    expect(await m.take(10)).toEqual([3, 4]);
  });

  it('takes an item at once while there is room: the sender gets no promise to wait on', () => {
    const m = new Mailbox<number>(2);
    expect(m.push(1)).toBeUndefined();
    expect(m.push(2)).toBeUndefined();
    expect(m.push(3)).toBeInstanceOf(Promise);
    expect(m.size).toBe(2);
  });

  it('makes a sender wait while it is full (backpressure) and lets it on when space frees', async () => {
    const m = new Mailbox<number>(2);
    await m.push(1);
    await m.push(2);
    let pushed = false;
    const third = m.push(3)!.then(() => (pushed = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(pushed).toBe(false);
    expect(m.size).toBe(2);
    expect(await m.take(1)).toEqual([1]);
    await third;
    expect(pushed).toBe(true);
    expect(await m.take(5)).toEqual([2, 3]);
  });

  it('wakes a waiting worker on push, and gives it null once closed and drained', async () => {
    const m = new Mailbox<string>(4);
    const taking = m.take(4);
    await m.push('a');
    expect(await taking).toEqual(['a']);
    await m.push('b');
    m.close();
    expect(await m.take(4)).toEqual(['b']);
    expect(await m.take(4)).toBeNull();
    expect(() => m.push('c')).toThrow(/closed/);
  });
});
