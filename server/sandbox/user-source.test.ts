import { describe, expect, it } from 'vitest';
import { describeThrown, functionText, isInternal, LINE_OFFSET } from './user-source.js';

describe('the user source as QuickJS sees it', () => {
  it('wraps the body in a function whose body starts LINE_OFFSET lines down', () => {
    const text = functionText('return a + b;', ['a', 'b']);
    expect(text).toBe('function (a, b) {\nreturn a + b;\n}');
    expect(text.split('\n').indexOf('return a + b;')).toBe(LINE_OFFSET);
  });

  it("points a thrown error at the first frame in the user's source, on the user's line numbers", () => {
    const thrown = { name: 'Error', message: 'too high', stack: '    at <anonymous> (script.js:4:7)\n    at <eval> (causeway-harness.js:12)' };
    expect(describeThrown(thrown)).toEqual({ message: 'too high', line: 3, column: 7 });
  });

  it('names the kind of a built-in error, and reads a plain value as its text', () => {
    expect(describeThrown({ name: 'TypeError', message: 'x is undefined' })).toEqual({ message: 'TypeError: x is undefined' });
    expect(describeThrown('plain failure')).toEqual({ message: 'plain failure' });
  });

  it('gives no line for a frame in the harness only', () => {
    expect(describeThrown({ name: 'Error', message: 'm', stack: 'at f (causeway-harness.js:3:1)' })).toEqual({ message: 'm' });
  });

  it("tells QuickJS's own stops from what the script throws", () => {
    expect(isInternal({ name: 'InternalError', message: 'interrupted' }, 'interrupted')).toBe(true);
    expect(isInternal({ name: 'Error', message: 'interrupted' }, 'interrupted')).toBe(false);
    expect(isInternal('interrupted', 'interrupted')).toBe(false);
  });
});
