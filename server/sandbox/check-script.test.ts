import { describe, expect, it } from 'vitest';
import { checkScript } from './check-script.js';

describe('checkScript', () => {
  it('accepts a body that parses, using its parameters', async () => {
    expect(await checkScript('return {type: "seen", data: state + event.data.value}', ['state', 'event'])).toBeNull();
  });

  it('reports the line and column of a syntax error in the user source', async () => {
    const error = await checkScript('const a = 1;\nconst b = 2;\nlet oops oops', ['event']);
    expect(error).toMatchObject({ line: 3, column: 10 });
    expect(error?.message).toMatch(/\S/);
  });

  it('reports an error on the first line at that line', async () => {
    const error = await checkScript('return +;', ['event']);
    expect(error?.line).toBe(1);
    expect(error?.column).toBeGreaterThan(0);
  });

  it('reports an unclosed block at the end of the user source, not at a character of the wrapper around it', async () => {
    const error = await checkScript('if (event) {\n  return 1;', ['event']);
    expect(error).toMatchObject({ line: 2, column: 12 });
    expect(error?.message).toMatch(/^unexpected end of code/);
    expect(error?.message).not.toContain("')'");
  });

  it('parses without running the code', async () => {
    const started = Date.now();
    expect(await checkScript('while (true) {}', ['event'])).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
