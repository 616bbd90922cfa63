import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startTsWorker } from './ts-worker.js';

describe('startTsWorker', () => {
  it('runs a TypeScript module in a worker thread, with its workerData', async () => {
    const worker = startTsWorker(new URL('./testing/echo-worker.ts', import.meta.url), { workerData: { add: 2 } });
    try {
      worker.postMessage(40);
      const [answer] = await once(worker, 'message');
      expect(answer).toBe(42);
    } finally {
      await worker.terminate();
    }
  });
});
