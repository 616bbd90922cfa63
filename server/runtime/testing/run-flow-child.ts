/**
 * The body of a runtime child process for tests that kill it: runs one flow on a store until SIGTERM. Restores
 * what was deployed, or deploys the flow on first start; prints `ready` once it runs and `drained` after a clean
 * stop.
 */
import type { FlowDraft } from '../../../shared/flow.js';
import type { EventStore } from '../../store/index.js';
import { Engine, type EngineOptions } from '../engine.js';

export async function runFlowUntilSignal(store: EventStore, flow: FlowDraft & { id: string }, options: Partial<EngineOptions> = {}): Promise<void> {
  const engine = new Engine({ store, log: (m, d) => console.error(m, d), ...options });
  const restored = await engine.restore();
  if (restored.length === 0) {
    const saved = (await store.flows.get(flow.id)) ?? (await store.flows.create(flow));
    const result = await engine.deploy(saved);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
  }
  console.log('ready');
  process.on('SIGTERM', () => {
    void engine
      .close()
      .then(() => store.close())
      .then(() => {
        console.log('drained');
        process.exit(0);
      });
  });
}

/** Runs `main` when the file is the process's script; a failure exits 1 with its message. */
export function runAsScript(file: string, main: () => Promise<void>): void {
  if (!process.argv[1]?.endsWith(file)) return;
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
