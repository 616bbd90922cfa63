import { describe, expect, it } from 'vitest';
import type { VectorClock } from '../../shared/clock.js';
import { ProcessClocks } from './process-clocks.js';

/** A store whose latest clocks the test sets, as other replicas' appends would. */
function storeWith(latest: Record<string, VectorClock>) {
  return { latestClock: (process: string) => Promise.resolve(latest[process] ?? null) };
}

describe('ProcessClocks', () => {
  it('resumes a process from its last stored clock', async () => {
    const clocks = new ProcessClocks(storeWith({ dev: { dev: 4, r1: 2 } }));
    await clocks.ensure('dev');
    expect(clocks.local('dev')).toEqual({ dev: 5, r1: 2 });
  });

  it('gives a run its own device clocks, loaded when the run starts, and shares the replica\'s own entry', async () => {
    const latest: Record<string, VectorClock> = { dev: { dev: 3 } };
    const replica = new ProcessClocks(storeWith(latest));
    const first = replica.forRun('r1');
    await first.ensureAll(['dev', 'r1']);
    expect(first.local('dev')).toEqual({ dev: 4 });
    expect(first.local('r1')).toEqual({ r1: 1 });

    // Meanwhile the device's flow ran on another replica, which stored counters up to 9.
    latest.dev = { dev: 9, r2: 5 };
    const second = replica.forRun('r1');
    await second.ensureAll(['dev', 'r1']);
    expect(second.local('dev')).toEqual({ dev: 10, r2: 5 });
    // The replica's own entry goes on from where the first run left it, in every run.
    expect(second.local('r1')).toEqual({ r1: 2 });
    expect(replica.current('r1')).toEqual({ r1: 2 });
    expect(second.receive('r1', { dev: 10 })).toEqual({ r1: 3, dev: 10 });
    expect(first.current('r1')).toEqual({ r1: 3, dev: 10 });
  });
});
