import { describe, expect, it } from 'vitest';
import type { FlowStatus } from '../../shared/api/flows.js';
import { combinedStatus, STOPPED } from './flow-status.js';

const run = (revision: number, checkpoint: number, n: number, error: string | null = null): FlowStatus => ({
  state: 'running',
  revision,
  checkpoint,
  error,
  nodes: { a: { in: n, out: n - 1, errors: 1, queued: 2 } },
});

describe('combinedStatus', () => {
  it('is stopped without a running run, and a single run as it is', () => {
    expect(combinedStatus([])).toEqual(STOPPED);
    expect(combinedStatus([{ ...run(1, 5, 3), state: 'stopped' }])).toEqual(STOPPED);
    expect(combinedStatus([run(2, 5, 3)])).toEqual(run(2, 5, 3));
  });

  it('sums the counters of the runs, at the lowest checkpoint, the newest revision and the first error', () => {
    expect(combinedStatus([run(1, 9, 3), run(2, 4, 10, 'stalled'), { ...run(1, 1, 100), state: 'stopped' }])).toEqual({
      state: 'running',
      revision: 2,
      checkpoint: 4,
      error: 'stalled',
      nodes: { a: { in: 13, out: 11, errors: 2, queued: 4 } },
    });
  });

  it('sums the counters of each subflow instance over the runs too, and has none when no run has instances', () => {
    const withInstance = (n: number): FlowStatus => ({ ...run(1, 1, n), instances: { sub: { in: n, out: 1, errors: 0, queued: 0, lastAt: `2026-01-01T00:00:0${n}.000Z` } } });
    expect(combinedStatus([withInstance(2), withInstance(5)]).instances).toEqual({ sub: { in: 7, out: 2, errors: 0, queued: 0, lastAt: '2026-01-01T00:00:05.000Z' } });
    expect(combinedStatus([run(1, 1, 2), run(1, 1, 3)])).not.toHaveProperty('instances');
  });
});
