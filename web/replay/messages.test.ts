import { describe, expect, it } from 'vitest';
import { parseReplayMessage } from './messages.js';

const status = {
  id: 'rp-1',
  state: 'running',
  flowId: 'f-1',
  flowName: 'cold room',
  revision: 2,
  mode: 'dry-run',
  speed: 'max',
  namespace: 'replay:rp-1',
  from: null,
  to: null,
  filter: null,
  input: 10,
  processed: 4,
  diff: { identical: 0, changed: 0, missing: 0, extra: 0 },
  byNode: {},
  changes: [],
  changesTruncated: false,
  partial: true,
  effects: 0,
  notes: [],
  error: null,
  startedBy: null,
  startedAt: '2026-01-05T10:00:00.000Z',
  finishedAt: null,
};

describe('reading replay live messages', () => {
  it('reads a progress message', () => {
    expect(parseReplayMessage('status', JSON.stringify(status))).toEqual({ kind: 'status', status });
  });

  it('reads the final message of a replay that is done, with its diff and changes', () => {
    const final = {
      ...status,
      state: 'done',
      processed: 10,
      diff: { identical: 3, changed: 1, missing: 0, extra: 0 },
      changes: [{ status: 'changed', nodeId: 'conv', causationId: 'e1', index: 0, originalId: 'o', replayId: 'r', fields: [{ path: 'data.t', original: 1, replayed: 2 }] }],
    };
    expect(parseReplayMessage('done', JSON.stringify(final))).toEqual({ kind: 'done', status: final });
  });

  it('reads the final message of a replay that failed, with its error', () => {
    const failed = { ...status, state: 'failed', error: 'interrupted by a restart: the server stopped while the replay was running' };
    expect(parseReplayMessage('done', JSON.stringify(failed))).toEqual({ kind: 'done', status: failed });
  });

  it('reads the final message of a cancelled replay, with its partial diff', () => {
    const cancelled = { ...status, state: 'cancelled', partial: true, diff: { identical: 4, changed: 0, missing: 0, extra: 0 } };
    expect(parseReplayMessage('done', JSON.stringify(cancelled))).toEqual({ kind: 'done', status: cancelled });
  });

  it('reads a message by the state it carries: a progress message of an ended replay is final', () => {
    expect(parseReplayMessage('status', JSON.stringify({ ...status, state: 'done' }))?.kind).toBe('done');
    expect(parseReplayMessage('done', JSON.stringify(status))?.kind).toBe('status');
  });

  it('reads a status of a replay with a filter, notes and a finish time', () => {
    const noted = { ...status, state: 'done', filter: { type: 'reading.*' }, partial: false, notes: ['actors start from their initial state'], finishedAt: '2026-01-05T10:01:00.000Z' };
    expect(parseReplayMessage('done', JSON.stringify(noted))).toEqual({ kind: 'done', status: noted });
  });
});

describe('ignoring what is not a replay status', () => {
  it('ignores a status without a field the server always sends, or with one it never does', () => {
    const { changes: _changes, ...summary } = status;
    expect(parseReplayMessage('status', JSON.stringify(summary))).toBeNull();
    expect(parseReplayMessage('status', JSON.stringify({ ...status, paused: true }))).toBeNull();
  });

  it('ignores other message names, text that is not JSON, and JSON that is not an object', () => {
    expect(parseReplayMessage('message', JSON.stringify(status))).toBeNull();
    expect(parseReplayMessage('debug', JSON.stringify(status))).toBeNull();
    expect(parseReplayMessage('status', '{not json')).toBeNull();
    expect(parseReplayMessage('status', '[1,2]')).toBeNull();
    expect(parseReplayMessage('status', 'null')).toBeNull();
  });

  it('ignores a status without an id, with an unknown state, or with counts that are not whole numbers', () => {
    const { id: _id, ...noId } = status;
    for (const bad of [noId, { ...status, state: 'paused' }, { ...status, processed: -1 }, { ...status, input: '10' }, { ...status, processed: 1.5 }, { ...status, diff: null }]) {
      expect(parseReplayMessage('status', JSON.stringify(bad)), JSON.stringify(bad)).toBeNull();
    }
  });
});
