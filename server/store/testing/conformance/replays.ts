import { describe, expect, it } from 'vitest';
import type { ReplayRecord } from '../../replays.js';
import type { SuiteContext } from './context.js';

const record = (overrides: Partial<ReplayRecord> = {}): ReplayRecord => ({
  id: 'rp-1',
  process: 'main',
  state: 'running',
  startedAt: '2026-01-05T10:00:00.000Z',
  finishedAt: null,
  error: null,
  details: {
    request: { flowId: 'f-1', mode: 'dry-run', speed: 'max', from: '2026-01-05T09:00:00.000Z' },
    input: 3,
    processed: 1,
    diff: { identical: 0, changed: 0, missing: 0, extra: 0 },
    changes: [],
  },
  ...overrides,
});

export function describeReplays(ctx: SuiteContext): void {
  describe('replays', () => {
    it('saves a replay and gets it back whole; an unknown id is null', async () => {
      const replays = ctx.store().replays;
      const saved = record({
        details: {
          ...record().details,
          changes: [{ status: 'changed', nodeId: 'conv', fields: [{ path: 'data.t', original: 1.5, replayed: null }] }],
          effects: [{ kind: 'mqtt-publish', payload: '{"t":"ünïcode ✓"}' }],
        },
      });
      await replays.save(saved);
      expect(await replays.get('rp-1')).toEqual(saved);
      expect(await replays.get('rp-missing')).toBeNull();
    });

    it('replaces a replay saved again with the same id', async () => {
      const replays = ctx.store().replays;
      await replays.save(record());
      const finished = record({ state: 'done', finishedAt: '2026-01-05T10:00:02.000Z', details: { input: 3, processed: 3, diff: { identical: 3, changed: 0, missing: 0, extra: 0 } } });
      await replays.save(finished);
      expect(await replays.get('rp-1')).toEqual(finished);
      expect(await replays.list()).toEqual([finished]);
    });

    it('keeps what it stored when the caller changes its object afterwards', async () => {
      const replays = ctx.store().replays;
      const saved = record();
      await replays.save(saved);
      saved.state = 'failed';
      (saved.details as { input: number }).input = 99;
      expect(await replays.get('rp-1')).toEqual(record());
    });

    it('lists the newest first, by start time, then by first save; the limit cuts the oldest', async () => {
      const replays = ctx.store().replays;
      await replays.save(record({ id: 'b', startedAt: '2026-01-05T10:00:01.000Z' }));
      await replays.save(record({ id: 'a', startedAt: '2026-01-05T10:00:03.000Z' }));
      await replays.save(record({ id: 'c', startedAt: '2026-01-05T10:00:01.000Z' }));
      await replays.save(record({ id: 'd', startedAt: '2026-01-05T09:59:59.000Z' }));
      // Saving again keeps the place of the first save.
      await replays.save(record({ id: 'b', startedAt: '2026-01-05T10:00:01.000Z', state: 'done' }));
      expect((await replays.list()).map((r) => r.id)).toEqual(['a', 'c', 'b', 'd']);
      expect((await replays.list({ limit: 2 })).map((r) => r.id)).toEqual(['a', 'c']);
    });

    it('lists only the replays of one state and one process when asked', async () => {
      const replays = ctx.store().replays;
      await replays.save(record({ id: 'r1', process: 'main', state: 'running' }));
      await replays.save(record({ id: 'r2', process: 'edge-1', state: 'running' }));
      await replays.save(record({ id: 'r3', process: 'main', state: 'done', startedAt: '2026-01-05T11:00:00.000Z' }));
      expect((await replays.list({ state: 'running' })).map((r) => r.id).sort()).toEqual(['r1', 'r2']);
      expect((await replays.list({ process: 'main' })).map((r) => r.id)).toEqual(['r3', 'r1']);
      expect((await replays.list({ state: 'running', process: 'main' })).map((r) => r.id)).toEqual(['r1']);
      expect(await replays.list({ state: 'failed' })).toEqual([]);
    });

    it('keeps a cancelled replay with its partial diff and lists it by that state', async () => {
      const replays = ctx.store().replays;
      const cancelled = record({ id: 'rc', state: 'cancelled', finishedAt: '2026-01-05T10:00:01.000Z', details: { ...record().details, partial: true } });
      await replays.save(record({ id: 'rr' }));
      await replays.save(cancelled);
      expect(await replays.get('rc')).toEqual(cancelled);
      expect(await replays.list({ state: 'cancelled' })).toEqual([cancelled]);
      expect((await replays.list({ state: 'running' })).map((r) => r.id)).toEqual(['rr']);
    });
  });
}
