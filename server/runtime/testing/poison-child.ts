/**
 * A runtime process for the quarantine test: opens the SQLite store, deploys (or restores) http → transform →
 * debug, and dies at once (SIGKILL, as a native crash would) when the transform's events would carry
 * `data.poison`: an input whose handling kills the process. On SIGTERM it drains and exits.
 */
import type { FlowDraft } from '../../../shared/flow.js';
import { openStore, type EventStore } from '../../store/index.js';
import { runAsScript, runFlowUntilSignal } from './run-flow-child.js';

export const POISON_FLOW: FlowDraft & { id: string } = {
  id: 'f-poison',
  name: 'poison test',
  description: '',
  nodes: [
    { id: 'in', type: 'http', name: 'in', process: 'main', position: { x: 0, y: 0 }, config: { types: ['reading'] } },
    { id: 'copy', type: 'transform', name: 'copy', process: 'main', position: { x: 0, y: 0 }, config: { expression: 'data', type: 'reading.copied' } },
    { id: 'show', type: 'debug', name: 'debug', process: 'main', position: { x: 0, y: 0 }, config: {} },
  ],
  edges: [
    { id: 'e1', source: 'in', sourcePort: 'out', target: 'copy', targetPort: 'in' },
    { id: 'e2', source: 'copy', sourcePort: 'out', target: 'show', targetPort: 'in' },
  ],
};

/** The store, but an append of an event derived with `data.poison` kills the process before it is written. */
function deadlyOnPoison(store: EventStore): EventStore {
  const append = store.append.bind(store);
  store.append = (drafts, ...rest) => {
    if (drafts.some((d) => d.nodeId === 'copy' && (d.data as { poison?: unknown } | null)?.poison === true)) process.kill(process.pid, 'SIGKILL');
    return append(drafts, ...rest);
  };
  return store;
}

async function main() {
  const path = process.argv[2];
  if (!path) throw new Error('usage: poison-child <sqlite path>');
  await runFlowUntilSignal(deadlyOnPoison(await openStore(`sqlite:${path}`)), POISON_FLOW, { process: 'runtime' });
}

runAsScript('poison-child.ts', main);
