import { describe, expect, it } from 'vitest';
import { byNode, countText, invalidProblems, problemText, saveBlocker } from './problems.js';
import type { InvalidField } from './store.js';

describe('problems as the editor shows them', () => {
  it('drops the field path a message opens with, with or without the node type before it', () => {
    expect(problemText({ path: 'config.expression', message: 'filter config.expression: is required (string)' })).toBe('is required (string)');
    expect(problemText({ path: 'config.code', message: 'config.code: JavaScript syntax error at line 1, column 2: expecting \';\'' })).toBe("JavaScript syntax error at line 1, column 2: expecting ';'");
    expect(problemText({ path: 'config.rules.0.expression', message: 'config.rules.0.expression: JSONata syntax error' })).toBe('JSONata syntax error');
  });

  it('keeps a message that does not open with its path, and one of the flow as a whole', () => {
    expect(problemText({ path: 'edges.2.sourcePort', message: 'edge "e2": node "out" has no output port "out"' })).toBe('edge "e2": node "out" has no output port "out"');
    expect(problemText({ path: '', message: 'the flow has no source' })).toBe('the flow has no source');
    expect(problemText({ path: 'config.x', message: 'the value of config.x: too long' })).toBe('the value of config.x: too long');
  });

  const invalid: Record<string, InvalidField> = {
    a: { nodeId: 'n3', path: 'initialState', text: '{', message: 'Not valid JSON: Unexpected end of JSON input' },
  };

  it('makes an error of each field that does not parse, on its node and path', () => {
    expect(invalidProblems(invalid)).toEqual([{ code: 'invalid_field', nodeId: 'n3', path: 'config.initialState', message: 'Not valid JSON: Unexpected end of JSON input' }]);
    expect(byNode(invalidProblems(invalid)).get('n3')).toEqual(['config.initialState: Not valid JSON: Unexpected end of JSON input']);
  });

  it('says why the flow cannot be saved, naming the node and field, only while a field does not parse', () => {
    expect(saveBlocker({})).toBeNull();
    expect(saveBlocker(invalid, new Map([['n3', 'counter']]))).toBe('counter config.initialState: Not valid JSON: Unexpected end of JSON input');
    expect(saveBlocker({ ...invalid, b: { ...invalid.a!, path: 'other' } })).toMatch(/\(and 1 more field\)$/);
  });

  it('counts errors and warnings both, and says "no problems" only when there are neither', () => {
    expect(countText(2, 2)).toBe('2 errors, 2 warnings');
    expect(countText(0, 1)).toBe('1 warning');
    expect(countText(1, 0)).toBe('1 error');
    expect(countText(0, 0)).toBe('no problems');
  });

  it('lists a node’s problems without repeating the path', () => {
    const map = byNode([{ code: 'invalid_config', nodeId: 'f', path: 'config.expression', message: 'filter config.expression: is required (string)' }]);
    expect(map.get('f')).toEqual(['config.expression: is required (string)']);
  });
});
