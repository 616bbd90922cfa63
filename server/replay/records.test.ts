import { describe, expect, it } from 'vitest';
import { fromRecord, INTERRUPTED, interrupted, toRecord, type SavedReplay } from './records.js';

const replay: SavedReplay = {
  status: {
    id: 'rp-1',
    state: 'done',
    flowId: 'f-1',
    flowName: 'cold room',
    revision: 2,
    mode: 'dry-run',
    speed: 'max',
    namespace: 'replay:rp-1',
    from: '2026-01-05T09:00:00.000Z',
    to: null,
    filter: { type: 'reading.recorded' },
    input: 3,
    processed: 3,
    diff: { identical: 1, changed: 1, missing: 0, extra: 0 },
    byNode: { conv: { identical: 1, changed: 1, missing: 0, extra: 0 } },
    changes: [{ status: 'changed', nodeId: 'conv', causationId: 'e2', index: 0, originalId: 'o2', replayId: 'r2', fields: [{ path: 'data.t', original: 1, replayed: 2 }] }],
    changesTruncated: false,
    partial: false,
    effects: 1,
    notes: [],
    error: null,
    startedBy: 'ada',
    startedAt: '2026-01-05T10:00:00.000Z',
    finishedAt: '2026-01-05T10:00:01.000Z',
  },
  request: { flowId: 'f-1', revision: 2, startedBy: 'ada', from: '2026-01-05T09:00:00.000Z', filter: { type: 'reading.recorded' }, mode: 'dry-run', speed: 'max' },
  effects: [{ kind: 'http-request', nodeId: 'hook', eventId: 'r2', url: 'http://127.0.0.1/hook', method: 'POST', headers: {}, body: '{}' }],
};

describe('a replay as the store keeps it', () => {
  it('puts what the store sorts and selects by in its own fields, and comes back unchanged', () => {
    const record = toRecord(replay, 'edge-1');
    expect(record).toMatchObject({ id: 'rp-1', process: 'edge-1', state: 'done', startedAt: replay.status.startedAt, finishedAt: replay.status.finishedAt, error: null });
    expect(fromRecord(JSON.parse(JSON.stringify(record)))).toEqual(replay);
  });

  it('keeps a cancelled replay with its partial diff', () => {
    const cancelled: SavedReplay = { ...replay, status: { ...replay.status, state: 'cancelled', processed: 2, partial: true } };
    const record = toRecord(cancelled, 'main');
    expect(record.state).toBe('cancelled');
    expect(fromRecord(JSON.parse(JSON.stringify(record)))).toEqual(cancelled);
  });

  it('reads a record saved without the partial mark as partial unless it is done', () => {
    const { partial: _partial, ...details } = toRecord(replay, 'main').details;
    expect(fromRecord({ ...toRecord(replay, 'main'), details }).status.partial).toBe(false);
    expect(fromRecord({ ...toRecord(replay, 'main'), state: 'failed', details }).status.partial).toBe(true);
  });

  it('reads a record saved without notes as a replay with none, as its status always lists them', () => {
    const { notes: _notes, ...details } = toRecord({ ...replay, status: { ...replay.status, notes: ['said'] } }, 'main').details;
    expect(fromRecord({ ...toRecord(replay, 'main'), details }).status.notes).toEqual([]);
  });

  it('reads a record saved without the flow name or who started it as not known (null)', () => {
    const { flowName: _name, startedBy: _by, ...details } = toRecord(replay, 'main').details;
    expect(fromRecord({ ...toRecord(replay, 'main'), details }).status).toMatchObject({ flowName: null, startedBy: null });
  });

  it('reads a replay interrupted by a restart as failed, saying so, with its counts kept', () => {
    const running = toRecord({ ...replay, status: { ...replay.status, state: 'running', processed: 1, finishedAt: null } }, 'main');
    const at = new Date('2026-01-05T11:00:00.000Z');
    const { status } = fromRecord(interrupted(running, at));
    expect(status).toMatchObject({ state: 'failed', error: INTERRUPTED, finishedAt: '2026-01-05T11:00:00.000Z', input: 3, processed: 1 });
    expect(INTERRUPTED).toMatch(/interrupted by a restart/);
  });
});
