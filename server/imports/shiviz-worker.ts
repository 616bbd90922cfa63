/**
 * The worker thread `ShiVizPool` starts: says `ready` once loaded (so the time limit counts parsing, not start-up),
 * then runs one `ShiVizJob` per message and answers with its result, the batches transferred rather than copied.
 * A job that throws is answered `failed`; the worker goes on with the next.
 */
import { parentPort } from 'node:worker_threads';
import { runShiVizJob, type ShiVizJob, type ShiVizJobResult } from './shiviz-job.js';
import type { WorkerMessage } from './shiviz-pool.js';

const port = parentPort!;
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', (job: ShiVizJob) => {
  let result: ShiVizJobResult;
  try {
    result = runShiVizJob(job);
  } catch (error) {
    post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  post({ kind: 'done', result }, result.ok ? result.batches.map((b) => b.buffer as ArrayBuffer) : []);
});
post({ kind: 'ready' });
