import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Progress } from './progress.js';

describe('progress checkpoint', () => {
  it('advances only over a gap-free prefix of completed positions', () => {
    const p = new Progress(0);
    p.hold(1);
    p.hold(2);
    p.hold(3);
    p.release(2);
    expect(p.checkpoint).toBe(0);
    p.release(1);
    expect(p.checkpoint).toBe(2);
    p.release(3);
    expect(p.checkpoint).toBe(3);
  });

  it('keeps a position open until every holder released it', () => {
    const p = new Progress(10);
    p.hold(11);
    p.hold(11);
    p.release(11);
    expect(p.checkpoint).toBe(10);
    p.release(11);
    expect(p.checkpoint).toBe(11);
  });

  it('refuses to hold a position at or below the checkpoint and to release more than held', () => {
    const p = new Progress(5);
    expect(() => p.hold(5)).toThrow(/checkpoint/);
    p.hold(6);
    p.release(6);
    expect(() => p.release(6)).toThrow();
  });

  it('resolves idle once nothing is held', async () => {
    const p = new Progress(0);
    p.hold(1);
    let idle = false;
    const waiting = p.idle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    p.release(1);
    await waiting;
    expect(idle).toBe(true);
  });

  it('never passes an open position, whatever the release order (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.infiniteStream(fc.nat()), (n, picks) => {
        const p = new Progress(0);
        const open = new Set<number>();
        for (let i = 1; i <= n; i++) {
          p.hold(i);
          open.add(i);
        }
        const it = picks[Symbol.iterator]();
        while (open.size > 0) {
          const list = [...open];
          const pos = list[it.next().value % list.length]!;
          p.release(pos);
          open.delete(pos);
          const lowestOpen = Math.min(...open, Infinity);
          if (p.checkpoint >= lowestOpen) return false;
          if (p.checkpoint !== (open.size === 0 ? n : lowestOpen - 1)) return false;
        }
        return p.inFlight === 0;
      }),
    );
  });
});
