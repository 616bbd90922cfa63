/**
 * WAL checkpoints off the event loop. A checkpoint copies committed pages from the WAL back into the database file
 * and syncs it: tens to hundreds of milliseconds on a busy disk. Run by the connection that commits, it stalls
 * every request waiting on the event loop; so that connection never checkpoints on its own (short of a runaway
 * WAL), and a worker thread with its own connection runs passive checkpoints — which never block a writer — at a
 * steady pace. Once a checkpoint has copied everything, the next commit starts the WAL over from the beginning.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * How often the worker checkpoints (ms). Often, so each checkpoint has little to copy and sync: on a busy disk a
 * large sync holds up the committing thread's own writes for a while (about 50 ms every 500 ms here at 5,000
 * commits' worth of single events a second, about 10 ms every 100 ms).
 */
export const CHECKPOINT_INTERVAL_MS = 100;

/** Checkpoint passes a turn makes at most, chasing the commits made meanwhile. */
const MAX_PASSES = 8;

/** WAL pages at which the committing connection checkpoints itself after all: only if the worker falls far behind. */
export const FALLBACK_CHECKPOINT_PAGES = 100_000;

// CommonJS run by the worker thread: no loader is needed to start it (tsx, vitest or plain node alike).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
// Passes until the WAL is all copied (what the commits add during a pass is copied by the next one): only then
// may the next commit start the WAL over instead of letting it grow.
const checkpoint = () => {
  try {
    for (let pass = 0; pass < workerData.maxPasses; pass++) {
      const [{ busy, log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)');
      if (busy || checkpointed >= log) return;
    }
  } catch { /* locked: the next turn tries again */ }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');

export class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(path: string) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { driver: driverPath, path, intervalMs: CHECKPOINT_INTERVAL_MS, maxPasses: MAX_PASSES } });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    // A worker that cannot open the file leaves checkpoints to the committing connection's fallback.
    this.worker.on('error', () => undefined);
    this.worker.unref();
  }

  /** Stops the worker once its connection is closed (a checkpoint under way finishes first). */
  async stop(): Promise<void> {
    // Held by the worker until it has exited: unreferenced, the process could end first, the database unclosed.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
