import { describe, expect, it } from 'vitest';
import { execFormOf, instructionsOf, optionsOf, parseDockerfile, variablesOf } from './dockerfile.js';

const text = `# syntax=docker/dockerfile:1
ARG BASE=node:20
FROM \${BASE} AS build
RUN apt-get update \\
 # a comment inside a continued line is dropped
 && apt-get install -y make

FROM --platform=linux/amd64 node:20-slim
ENV A=1 B="two words"
ENV OLD old style
HEALTHCHECK --interval=5s --retries=3 \\
  CMD ["node", "-e", "1"]
CMD ["npm", "start"]
`;

describe('reading a Dockerfile', () => {
  const file = parseDockerfile(text);

  it('groups instructions by stage, with each stage its base and name', () => {
    expect(file.preamble.map((i) => i.keyword)).toEqual(['ARG']);
    expect(file.stages.map((s) => [s.base, s.name])).toEqual([
      ['${BASE}', 'build'],
      ['node:20-slim', null],
    ]);
    expect(file.stages[1]?.instructions.map((i) => i.keyword)).toEqual(['FROM', 'ENV', 'ENV', 'HEALTHCHECK', 'CMD']);
  });

  it('joins continued lines, drops the comments inside them and keeps the first line number', () => {
    const [run] = instructionsOf(file.stages[0]!, 'RUN');
    expect(run).toEqual({ keyword: 'RUN', args: 'apt-get update && apt-get install -y make', line: 4 });
  });

  it('reads variables in both ENV forms, options, and the exec form', () => {
    const [env, old] = instructionsOf(file.stages[1]!, 'ENV');
    expect(variablesOf(env!.args)).toEqual({ A: '1', B: 'two words' });
    expect(variablesOf(old!.args)).toEqual({ OLD: 'old style' });
    const [healthcheck] = instructionsOf(file.stages[1]!, 'HEALTHCHECK');
    expect(optionsOf(healthcheck!.args)).toEqual({ options: { interval: '5s', retries: '3' }, rest: 'CMD ["node", "-e", "1"]' });
    expect(execFormOf('["npm", "start"]')).toEqual(['npm', 'start']);
    expect(execFormOf('npm start')).toBeNull();
  });
});
