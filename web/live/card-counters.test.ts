import { describe, expect, it } from 'vitest';
import { cardCounters } from './card-counters.js';

const c = (n: number) => ({ in: n, out: n, errors: 0, queued: 0 });

describe('cardCounters', () => {
  it("gives each subflow instance's card the instance's counters beside the nodes'", () => {
    expect(cardCounters({ nodes: { src: c(5), 'sub.f': c(5) }, instances: { sub: c(5) } })).toEqual({ src: c(5), 'sub.f': c(5), sub: c(5) });
  });

  it('is the node counters themselves when the flow has no instance', () => {
    const nodes = { src: c(1) };
    expect(cardCounters({ nodes })).toBe(nodes);
  });
});
