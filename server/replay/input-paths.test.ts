import { describe, expect, it } from 'vitest';
import type { CompiledNode, RuntimeGraph } from '../compiler/compile.js';
import { openMemoryStore } from '../store/index.js';
import { appendAll, draft } from '../store/testing/fixtures.js';
import { sharedUserCodePool } from '../runtime/user-code/pool.js';
import { InputPaths, pathsInto } from './input-paths.js';

const node = (id: string, type: string, behaviour: string, config: Record<string, unknown> = {}) =>
  ({ id, type, behaviour, config, process: 'main', name: id }) as unknown as CompiledNode;

/** in (http) → hot (filter t > 8) → sum (actor); conv (transform) → sum; loop (filter) ⇄ hot. */
const graph: Pick<RuntimeGraph, 'nodes' | 'outgoing'> = {
  nodes: new Map([
    ['in', node('in', 'http', 'produce', { types: ['reading'] })],
    ['hot', node('hot', 'filter', 'forward', { expression: 'data.t > 8' })],
    ['loop', node('loop', 'filter', 'forward', { expression: 'true' })],
    ['conv', node('conv', 'transform', 'emit')],
    ['sum', node('sum', 'actor', 'emit')],
  ]),
  outgoing: new Map([
    ['in', new Map([['out', [{ edgeId: 'e1', target: 'hot', targetPort: 'in' }]]])],
    ['hot', new Map([['out', [{ edgeId: 'e2', target: 'sum', targetPort: 'in' }, { edgeId: 'e3', target: 'loop', targetPort: 'in' }]]])],
    ['loop', new Map([['out', [{ edgeId: 'e4', target: 'hot', targetPort: 'in' }]]])],
    ['conv', new Map([['out', [{ edgeId: 'e5', target: 'sum', targetPort: 'in' }]]])],
    ['sum', new Map([['out', []]])],
  ]),
};

describe('the paths into a node', () => {
  it('go back through pass-through nodes to producers whose outputs are stored, and end at a cycle', () => {
    const paths = pathsInto(graph, 'sum').map((p) => `${p.producer.id}:${p.port} → ${p.through.map((t) => t.node.id).join(' → ')}`);
    expect(paths.sort()).toEqual(['conv:out → ', 'in:out → hot']);
  });

  it('take the events a pass-through node forwards, asking its expression again, and the stored outputs of others', async () => {
    const store = openMemoryStore();
    const events = await appendAll(store, [
      draft({ id: 'cold', type: 'reading', data: { t: 3 } }),
      draft({ id: 'warm', type: 'reading', data: { t: 12 } }),
      draft({ id: 'other', type: 'not.reading', data: { t: 20 } }),
      draft({ id: 'derived', type: 'converted', flowId: 'f', nodeId: 'conv', metadata: { port: 'out' } }),
      draft({ id: 'elsewhere', type: 'converted', flowId: 'g', nodeId: 'conv', metadata: { port: 'out' } }),
    ]);
    const paths = new InputPaths(graph, 'f', sharedUserCodePool());
    try {
      expect((await paths.reaching('sum', events)).map((e) => e.id)).toEqual(['warm', 'derived']);
    } finally {
      paths.close();
      await store.close();
    }
  });
});
