/**
 * A runtime process for the crash test: opens the SQLite store, deploys (or restores) a 5-node flow —
 * simulator → filter → transform → actor → debug — and runs until killed. On SIGTERM it drains and exits.
 */
import type { FlowDraft } from '../../../shared/flow.js';
import { openStore } from '../../store/index.js';
import { runAsScript, runFlowUntilSignal } from './run-flow-child.js';

export const CRASH_FLOW: FlowDraft & { id: string } = {
  id: 'f-crash',
  name: 'crash test',
  description: '',
  nodes: [
    { id: 'sim', type: 'simulator', name: 'fridges', process: 'edge-1', position: { x: 0, y: 0 }, config: { devices: 4, intervalMs: 5, prefix: 'fridge', model: { base: 8, noise: 3, spikeChance: 0, spikeSize: 0 } } },
    { id: 'warm', type: 'filter', name: 'too warm', process: 'main', position: { x: 0, y: 0 }, config: { expression: 'data.t > 8' } },
    { id: 'convert', type: 'transform', name: 'to reading', process: 'main', position: { x: 0, y: 0 }, config: { expression: "{'device': data.device, 'celsius': data.t}", type: 'reading.warm' } },
    {
      id: 'count',
      type: 'actor',
      name: 'count per fridge',
      process: 'cloud',
      position: { x: 0, y: 0 },
      config: { key: 'data.device', initialState: { n: 0 }, reducer: "const n = state.n + 1; return { state: { n }, emit: [{ type: 'warm.counted', data: { device: event.data.device, n } }] };", snapshotEvery: 25 },
    },
    { id: 'show', type: 'debug', name: 'debug', process: 'main', position: { x: 0, y: 0 }, config: {} },
  ],
  edges: [
    { id: 'e1', source: 'sim', sourcePort: 'out', target: 'warm', targetPort: 'in' },
    { id: 'e2', source: 'warm', sourcePort: 'out', target: 'convert', targetPort: 'in' },
    { id: 'e3', source: 'convert', sourcePort: 'out', target: 'count', targetPort: 'in' },
    { id: 'e4', source: 'count', sourcePort: 'out', target: 'show', targetPort: 'in' },
  ],
};

async function main() {
  const path = process.argv[2];
  if (!path) throw new Error('usage: crash-child <sqlite path>');
  await runFlowUntilSignal(await openStore(`sqlite:${path}`), CRASH_FLOW);
}

runAsScript('crash-child.ts', main);
