/** A worker for tests: answers each number with the number plus `workerData.add`, typed as TypeScript. */
import { parentPort, workerData } from 'node:worker_threads';

const { add } = workerData as { add: number };
parentPort!.on('message', (n: number) => parentPort!.postMessage(n + add));
