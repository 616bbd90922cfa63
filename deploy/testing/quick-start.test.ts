import { describe, expect, it } from 'vitest';
import { startCommandOf } from './quick-start.js';

describe("reading the README's start command", () => {
  it('takes the last command of the Quick start line that says where the app serves', () => {
    const readme = ['# App', '', '## Quick start', '', '```sh', 'make deps && ./run --fast   # serves http://localhost:3000', 'make test   # the tests', '```', '', '## Next', '```sh', 'other # http://x', '```'].join('\n');
    expect(startCommandOf(readme)).toBe('./run --fast');
  });

  it('says what is missing when the README has no such line', () => {
    expect(() => startCommandOf('# App\n\n## Quick start\n\n```sh\nnpm test\n```\n')).toThrow('no line of the Quick start block says where the app serves');
    expect(() => startCommandOf('# App\n')).toThrow('no "## Quick start" section');
  });
});
