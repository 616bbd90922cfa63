/**
 * Engines for tests: `useEngines()` (called at a test file's top level) gives `setup`, whose engines and stores are
 * closed after each test; and the waits and reads the engine tests share.
 */
import { afterEach } from 'vitest';
import type { StoredEvent } from '../../../shared/event.js';
import type { FlowDraft } from '../../../shared/flow.js';
import { openStore, type EventStore } from '../../store/index.js';
import { Engine, type EngineOptions } from '../engine.js';

export function useEngines() {
  const open: { engine: Engine; store: EventStore }[] = [];
  afterEach(async () => {
    for (const { engine, store } of open.splice(0)) {
      await engine.close();
      await store.close();
    }
  });
  /** An engine on `store` (default a fresh memory store), both closed after the test. */
  return async function setup(options: Partial<EngineOptions> = {}, store?: EventStore) {
    const s = store ?? (await openStore('memory:'));
    const engine = new Engine({ store: s, ...options });
    open.push({ engine, store: s });
    return { engine, store: s };
  };
}

/** Saves the flow and deploys it; throws if it does not compile. */
export async function deploy(engine: Engine, store: EventStore, flow: FlowDraft & { id: string }) {
  const saved = await store.flows.create(flow);
  const result = await engine.deploy(saved);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return saved;
}

/** The probe's first truthy answer, polled every 10 ms; throws after `timeoutMs`. */
export async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Every stored event the filter picks (up to 10,000). */
export async function all(store: EventStore, filter: Parameters<EventStore['read']>[0] = {}): Promise<StoredEvent[]> {
  return store.read({ limit: 10_000, ...filter });
}
