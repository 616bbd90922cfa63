/** A ShiViz parser worker for tests: loads, says it is ready, and dies on the first import. */
import { parentPort } from 'node:worker_threads';
import type { WorkerMessage } from '../shiviz-pool.js';

parentPort!.on('message', () => {
  throw new Error('broken by an import');
});
parentPort!.postMessage({ kind: 'ready' } satisfies WorkerMessage);
