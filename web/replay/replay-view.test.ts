import { describe, expect, it } from 'vitest';
import type { OutputChange } from '../../shared/api/replays.js';
import { changeKey, changesOf, nameOf, nodeNames } from './replay-view.js';

const change = (nodeId: string, causationId: string, status: OutputChange['status'] = 'changed', index = 0): OutputChange => ({
  status,
  nodeId,
  causationId,
  index,
  originalId: status === 'extra' ? null : `o-${causationId}`,
  replayId: status === 'missing' ? null : `r-${causationId}`,
  fields: [],
});

describe('what the replay page shows of a replay', () => {
  it('names nodes by their name, by id when they have none or the flow no longer holds them', () => {
    const names = nodeNames([
      { id: 'conv', name: 'To celsius' },
      { id: 'in', name: '' },
    ]);
    expect(nameOf(names, 'conv')).toBe('To celsius');
    expect(nameOf(names, 'in')).toBe('in');
    expect(nameOf(names, 'gone')).toBe('gone');
    expect(nameOf(nodeNames(undefined), 'conv')).toBe('conv');
  });

  it('lists the changes of the chosen node only, or all of them when none is chosen', () => {
    const all = [change('conv', 'e1'), change('warm', 'e2', 'missing'), change('conv', 'e3', 'extra')];
    expect(changesOf(all, 'conv').map((c) => c.causationId)).toEqual(['e1', 'e3']);
    expect(changesOf(all, null)).toBe(all);
    expect(changesOf(all, 'nowhere')).toEqual([]);
  });

  it('keys each change by node, input, output index and status, so no two listed changes share a key', () => {
    const keys = [change('conv', 'e1'), change('conv', 'e1', 'changed', 1), change('conv', 'e2'), change('warm', 'e1'), change('conv', 'e1', 'extra')].map(changeKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
