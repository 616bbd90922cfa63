import { describe, expect, it } from 'vitest';
import { idsOf, testInputsOf } from './inputs.js';

describe('the Test panel rows as request inputs', () => {
  it('makes one input per event of a JSON row, an object or an array, with the row’s source when one is chosen', () => {
    const { inputs, problems } = testInputsOf([
      { kind: 'json', source: '', text: '{"type": "a", "data": {"t": 1}}' },
      { kind: 'json', source: 'in', text: '[{"type": "b"}, {"type": "c", "id": "x"}]' },
    ]);
    expect(problems.size).toBe(0);
    expect(inputs).toEqual([{ event: { type: 'a', data: { t: 1 } } }, { source: 'in', event: { type: 'b' } }, { source: 'in', event: { type: 'c', id: 'x' } }]);
  });

  it('splits ids by spaces, commas and lines, and takes the last N of a chosen source', () => {
    expect(idsOf(' a, b\nc  ')).toEqual(['a', 'b', 'c']);
    const { inputs } = testInputsOf([
      { kind: 'ids', source: '', text: 'a,b' },
      { kind: 'last', source: 'in', count: 5 },
    ]);
    expect(inputs).toEqual([{ eventId: 'a' }, { eventId: 'b' }, { source: 'in', last: 5 }]);
  });

  it('names the problem of each row that cannot be an input', () => {
    const { problems } = testInputsOf([
      { kind: 'json', source: '', text: '{"type": ' },
      { kind: 'json', source: '', text: '[{"type": "a"}, {"data": 1}]' },
      { kind: 'ids', source: '', text: '  ' },
      { kind: 'last', source: '', count: 3 },
    ]);
    expect(problems.get(0)).toMatch(/^not JSON/);
    expect(problems.get(1)).toMatch(/^1\.type: /);
    expect(problems.get(2)).toBe('enter at least one event id');
    expect(problems.get(3)).toBe('choose the source whose events to take');
  });
});
