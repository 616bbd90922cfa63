import { describe, expect, it } from 'vitest';
import type { Flow, FlowNode } from '../../shared/flow.js';
import { openMemoryStore } from '../store/index.js';
import { ReplayRun } from './run.js';

const node = (id: string, type: string, config: Record<string, unknown>): FlowNode => ({ id, type, name: id, process: 'main', position: { x: 0, y: 0 }, config }) as FlowNode;
const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, sourcePort: 'out', target, targetPort: 'in' });

async function replayOf(nodes: FlowNode[], edges: ReturnType<typeof edge>[]) {
  const store = openMemoryStore();
  const flow: Flow = await store.flows.create({ id: 'f-1', name: 'notes', description: '', nodes, edges });
  const run = new ReplayRun('rp-1', { flowId: flow.id, mode: 'dry-run', speed: 'max' }, store, { timing: { pollMs: 2, settleMs: 100 } });
  const status = await run.run(flow);
  await store.close();
  return status;
}

describe('the notes of a replay', () => {
  it('has none when the revision has no actor', async () => {
    const status = await replayOf([node('in', 'http', { types: ['reading'] }), node('warm', 'filter', { expression: 'data.t > 8' })], [edge('in', 'warm')]);
    expect(status).toMatchObject({ state: 'done', notes: [] });
  });
});
