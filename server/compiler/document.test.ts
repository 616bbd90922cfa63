import { describe, expect, it } from 'vitest';
import { compile } from './compile.js';
import { depthProblem, MAX_FLOW_DEPTH } from './document.js';

/** `{"a": {"a": … 1}}`, `levels` objects deep, parsed as a client's body would be. */
const nested = (levels: number): unknown => JSON.parse(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`);

const timerFlow = (data: unknown) => ({
  name: 'deep',
  nodes: [
    { id: 'ok', type: 'debug', config: {} },
    { id: 't', type: 'timer', config: { intervalMs: 1000, type: 'tick', data } },
  ],
  edges: [],
});

describe('flow document depth', () => {
  it('lets a document nest exactly to the bound, the document itself being the first level', () => {
    expect(depthProblem(nested(MAX_FLOW_DEPTH))).toBeNull();
    expect(depthProblem(nested(MAX_FLOW_DEPTH + 1))).not.toBeNull();
    expect(depthProblem(JSON.parse(`${'['.repeat(MAX_FLOW_DEPTH)}${']'.repeat(MAX_FLOW_DEPTH)}`))).toBeNull();
    expect(depthProblem('text')).toBeNull();
  });

  it('names the node and the path where the document first goes too deep, cut after a few levels', () => {
    const problem = depthProblem(timerFlow(nested(5_000)));
    expect(problem).toEqual({
      nodeId: 't',
      path: 'nodes.1.config.data.a.a.a.a…',
      message: `nodes.1.config.data.a.a.a.a…: nests deeper than ${MAX_FLOW_DEPTH} levels (a flow document may nest at most ${MAX_FLOW_DEPTH})`,
    });
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    expect(depthProblem(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))?.path).toBe('0.0.0.0.0.0.0.0…');
  });

  it('makes compile refuse a too-deep document with one problem instead of overflowing the stack', async () => {
    const result = await compile(timerFlow(nested(5_000)));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([expect.objectContaining({ code: 'invalid_flow', nodeId: 't', path: 'nodes.1.config.data.a.a.a.a…' })]);
  });
});
