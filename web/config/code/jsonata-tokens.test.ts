import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextToken, startState, tokensOf } from './jsonata-tokens.js';

describe('the JSONata tokenizer', () => {
  it('tells paths, operators, numbers, keywords and atoms apart', () => {
    expect(tokensOf('data.t > 8.5 and active = true')).toEqual([
      { text: 'data', type: 'propertyName' },
      { text: '.', type: 'operator' },
      { text: 't', type: 'propertyName' },
      { text: '>', type: 'operator' },
      { text: '8.5', type: 'number' },
      { text: 'and', type: 'keyword' },
      { text: 'active', type: 'propertyName' },
      { text: '=', type: 'operator' },
      { text: 'true', type: 'atom' },
    ]);
  });

  it('marks a called $name as a function and a bare one as a variable', () => {
    expect(tokensOf('$sum(data.v) ~> $x')).toEqual([
      { text: '$sum', type: 'function' },
      { text: '(', type: 'bracket' },
      { text: 'data', type: 'propertyName' },
      { text: '.', type: 'operator' },
      { text: 'v', type: 'propertyName' },
      { text: ')', type: 'bracket' },
      { text: '~>', type: 'operator' },
      { text: '$x', type: 'variableName' },
    ]);
  });

  it('reads strings with escapes, back-quoted names, and an unterminated string to the end of its line', () => {
    expect(tokensOf(`"a\\"b" & 'c' & \`odd name\` & "open`).map((t) => [t.text, t.type])).toEqual([
      ['"a\\"b"', 'string'],
      ['&', 'operator'],
      ["'c'", 'string'],
      ['&', 'operator'],
      ['`odd name`', 'propertyName'],
      ['&', 'operator'],
      ['"open', 'string'],
    ]);
  });

  it('carries a block comment over lines', () => {
    expect(tokensOf('/* one\ntwo */ data')).toEqual([
      { text: '/* one', type: 'comment' },
      { text: 'two */', type: 'comment' },
      { text: 'data', type: 'propertyName' },
    ]);
  });

  it('always moves forward and covers the whole line, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), (line) => {
        const state = startState();
        let pos = 0;
        while (pos < line.length) {
          const { end } = nextToken(line, pos, state);
          expect(end).toBeGreaterThan(pos);
          pos = end;
        }
        expect(pos).toBe(line.length);
      }),
    );
  });
});
