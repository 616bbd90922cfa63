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
});
