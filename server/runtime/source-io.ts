/**
 * A source node's window on its flow (`SourceIO`). `produce` stamps its events as publishing does (`stamp.ts`),
 * appends them and resolves after commit, the moment the source may acknowledge its input; the append is in flight
 * in `producing` until then, so a drain can wait for it. `reject` stores the dead letter of an input that cannot
 * become an event. `admit` waits while the flow lags too far behind the store.
 */
import type { StoredEvent } from '../../shared/event.js';
import type { CompiledNode } from '../compiler/compile.js';
import type { EventStore } from '../store/index.js';
import { rejectedInputDraft, type DeriveContext } from './derive.js';
import type { Produced, SourceIO } from './node.js';
import type { NodeCounters } from './node-worker.js';
import type { NodeTraffic } from './node-traffic.js';
import type { ProcessClocks } from './process-clocks.js';
import { withRetries } from './retries.js';
import { producedDraft, stampAndAppend } from './stamp.js';

/** What a source needs of its flow. */
export interface SourceHost {
  store: Pick<EventStore, 'append'>;
  clocks: ProcessClocks;
  running(): boolean;
  admit(): Promise<void>;
  log(message: string, details?: Record<string, unknown>): void;
  /** Source appends in flight. */
  producing: Set<Promise<unknown>>;
  /** Events the source appended, once committed. */
  appended(events: StoredEvent[]): void;
}

export function sourceIO(source: { node: CompiledNode; ctx: DeriveContext; counters: NodeCounters; traffic?: NodeTraffic }, host: SourceHost): SourceIO {
  const { node, ctx, counters } = source;
  const { store, clocks, producing } = host;
  const draftOf = (item: Produced, stamp: Parameters<typeof producedDraft>[2]) => producedDraft(ctx, item, stamp);
  const append = (drafts: Parameters<EventStore['append']>[0]) => {
    const appending = store.append(drafts);
    producing.add(appending);
    return appending.finally(() => producing.delete(appending));
  };
  return {
    get running() {
      return host.running();
    },
    admit: () => host.admit(),
    log: (message, details) => host.log(message, { nodeId: node.id, ...details }),
    reject: async (failure, input) => {
      const loading = clocks.ensure(node.process);
      if (loading) await loading;
      const letter = rejectedInputDraft(ctx, failure, input);
      counters.errors++;
      host.appended((await withRetries(() => store.append([letter]))).map((r) => r.event));
    },
    produce: async (items) => {
      const events = (await stampAndAppend(clocks, items, node.process, draftOf, append)).map((r) => r.event);
      counters.out += events.length;
      source.traffic?.sentAll(events);
      host.appended(events);
      return events;
    },
  };
}
