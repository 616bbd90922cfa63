/**
 * A node worker on its own, for tests: a memory store (its appends optionally held back until the test says),
 * a progress, and records of what the worker delivered, appended and reported. `give` hands it inputs as the
 * dispatcher does (holding their positions); `idle` resolves once every input is released.
 */
import type { StoredEvent } from '../../../shared/event.js';
import { openStore, type EventStore } from '../../store/index.js';
import { deriveContext } from '../derive.js';
import type { NodeHandler } from '../node.js';
import { NodeWorker } from '../node-worker.js';
import { ProcessClocks } from '../process-clocks.js';
import { Progress } from '../progress.js';
import { compiledNode } from './fixtures.js';

export interface WorkerOptions {
  /** The node's type (its behaviour comes with it); default transform. */
  type?: string;
  config?: Record<string, unknown>;
  resumeFrom?: number;
  limits?: { maxDerivedPerInput: number; hopLimit: number };
  /** Appends are answered only once this resolves (each in the order made). */
  gate?: () => Promise<void>;
  /** Inputs taken from the mailbox at once (default 256). */
  batchSize?: number;
}

export async function workerOf(handler: NodeHandler, options: WorkerOptions = {}) {
  const store: EventStore = await openStore('memory:');
  const node = compiledNode(options.type ?? 'transform', options.config ?? { expression: 'data', type: 'out' }, 'n1');
  const clocks = new ProcessClocks(store);
  const progress = new Progress(0);
  const appendCalls: StoredEvent['causationId'][][] = [];
  const delivered: { port: string; event: StoredEvent }[] = [];
  const appended: StoredEvent[] = [];
  const stalled: unknown[] = [];
  let answered = Promise.resolve();
  const worker = new NodeWorker(node, handler, deriveContext('f', 1, node, clocks), { capacity: 64, batchSize: options.batchSize ?? 256 }, {
    store: {
      append: (drafts) => {
        appendCalls.push(drafts.map((d) => d.causationId));
        if (!options.gate) return store.append(drafts);
        const answer = answered.then(options.gate).then(() => store.append(drafts));
        answered = answer.then(
          () => undefined,
          () => undefined,
        );
        return answer;
      },
    },
    progress,
    limits: options.limits ?? { maxDerivedPerInput: 1_000, hopLimit: 64 },
    resumeFrom: options.resumeFrom ?? 0,
    deliver: (_producer, port, event) => void delivered.push({ port, event }),
    debug: () => {},
    appended: (events) => appended.push(...events),
    stalled: (_nodeId, error) => stalled.push(error),
  });
  worker.start();
  let position = 0;
  /** Stored inputs at positions 1, 2, 3 …, as the dispatcher hands them over. */
  const give = async (count: number, data: (i: number) => unknown = (i) => ({ i })) => {
    const inputs: StoredEvent[] = [];
    for (let i = 0; i < count; i++) {
      const [result] = await store.append([
        {
          id: `in-${++position}`,
          type: 'reading',
          source: 'test://sensor',
          time: new Date(0).toISOString(),
          subject: null,
          datacontenttype: 'application/json',
          data: data(position),
          stream: 'readings',
          process: 'sensor',
          vectorClock: { sensor: position },
          correlationId: `in-${position}`,
          causationId: null,
          flowId: null,
          nodeId: null,
          revision: null,
          metadata: {},
        },
      ]);
      inputs.push(result!.event);
    }
    // Pushed in one turn when there is room, so the worker takes them as one batch.
    for (const event of inputs) {
      progress.hold(event.position);
      const waiting = worker.mailbox.push({ event, arrival: 'e1' });
      if (waiting) await waiting;
    }
    return inputs;
  };
  const close = async () => {
    await worker.finish();
    await store.close();
  };
  return { worker, store, progress, give, idle: () => progress.idle(), appendCalls, delivered, appended, stalled, close };
}
