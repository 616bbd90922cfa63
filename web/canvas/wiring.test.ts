import { describe, expect, it } from 'vitest';
import type { FlowEdge, FlowNode } from '../../shared/flow.js';
import { checkWire } from './wiring.js';

const node = (id: string, type: string, config: Record<string, unknown> = {}): FlowNode => ({ id, type, name: id, process: 'main', position: { x: 0, y: 0 }, config });
const edge = (id: string, source: string, target: string, sourcePort = 'out'): FlowEdge => ({ id, source, sourcePort, target, targetPort: 'in' });

const nodes = [
  node('sim', 'simulator'),
  node('f', 'filter', { expression: 'true' }),
  node('t', 'transform', { expression: 'data' }),
  node('a', 'actor', { reducer: 'return {state, emit: []}' }),
  node('r', 'router', { rules: [{ port: 'hot', expression: 'data.t > 8' }] }),
  node('d', 'debug'),
];

describe('wiring', () => {
  it('accepts an output wired to an input', () => {
    expect(checkWire(nodes, [], { source: 'sim', sourcePort: 'out', target: 'f', targetPort: 'in' })).toEqual({ ok: true });
  });

  it('refuses a wire into a source', () => {
    const check = checkWire(nodes, [], { source: 'f', sourcePort: 'out', target: 'sim', targetPort: 'in' });
    expect(check).toMatchObject({ ok: false, code: 'no_input' });
  });

  it('refuses a wire out of a sink, which has no outputs', () => {
    expect(checkWire(nodes, [], { source: 'd', sourcePort: 'out', target: 'f', targetPort: 'in' })).toMatchObject({ ok: false, code: 'no_output' });
  });

  it('knows a router port from its rules', () => {
    expect(checkWire(nodes, [], { source: 'r', sourcePort: 'hot', target: 'd', targetPort: 'in' }).ok).toBe(true);
    expect(checkWire(nodes, [], { source: 'r', sourcePort: 'otherwise', target: 'd', targetPort: 'in' }).ok).toBe(true);
    expect(checkWire(nodes, [], { source: 'r', sourcePort: 'cold', target: 'd', targetPort: 'in' })).toMatchObject({ ok: false, code: 'no_output' });
  });

  it('refuses a node wired to itself and a doubled wire', () => {
    expect(checkWire(nodes, [], { source: 'f', sourcePort: 'out', target: 'f', targetPort: 'in' })).toMatchObject({ code: 'self' });
    expect(checkWire(nodes, [edge('e1', 'sim', 'f')], { source: 'sim', sourcePort: 'out', target: 'f', targetPort: 'in' })).toMatchObject({ code: 'duplicate' });
  });

  it('refuses a loop that does not pass through an actor, and allows one that does', () => {
    const loop = [edge('e1', 'f', 't')];
    expect(checkWire(nodes, loop, { source: 't', sourcePort: 'out', target: 'f', targetPort: 'in' })).toMatchObject({ ok: false, code: 'cycle' });
    const viaActor = [edge('e1', 'f', 'a')];
    expect(checkWire(nodes, viaActor, { source: 'a', sourcePort: 'out', target: 'f', targetPort: 'in' }).ok).toBe(true);
  });
});
