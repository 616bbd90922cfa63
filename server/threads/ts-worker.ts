/**
 * A worker thread running one of our TypeScript modules. Node cannot load `.ts` in a worker by itself, and a worker
 * does not inherit the loader `tsx` installed in the main thread: a one-line bootstrap registers it there and then
 * imports the module. Works the same under `npm start`, vitest and the bench.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Starts `moduleUrl` (a `file:` URL of a `.ts` module, usually `new URL('./x.ts', import.meta.url)`) in a worker. */
export function startTsWorker(moduleUrl: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const href = JSON.stringify(moduleUrl.href);
  const bootstrap = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${href}, ${href}))`;
  return new Worker(bootstrap, { ...options, eval: true });
}
