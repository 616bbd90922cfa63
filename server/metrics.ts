/**
 * Prometheus metrics, one Registry per server (tests run several side by side). Counters the HTTP layer and the
 * store wrapper increment directly; per-node figures are read from `engine.status` when /metrics is scraped.
 *
 * - events_published_total{origin}          events entering the system: `http` (POST /api/events), `source`
 *                                            (timers, simulators, MQTT…) — duplicates not counted
 * - events_processed_total{flow_id,node_id} inputs handled by flow nodes
 * - event_processing_duration_seconds{flow_id,node_id}
 *                                            from the commit of a cause to the commit of the event a node derived
 * - event_store_operations_total{operation,outcome}
 * - active_handlers                          nodes of running flows
 * - active_event_handlers                    nodes of running flows that take events in (all but sources)
 * - vector_clock_comparisons_total{operation} clocks weighed against each other: compare, merge (clocks.ts)
 * - flows_running
 * - flow_node_events{flow_id,node_id,counter} the live node counters (in, out, errors, queued) of running flows
 * - http_requests_total{method,route,status}
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StoredEvent } from '../shared/event.js';
import { clockComparisons, type ClockOperation } from './clocks.js';
import type { Engine } from './runtime/engine.js';
import type { EventStore } from './store/index.js';

export interface Metrics {
  readonly registry: Registry;
  readonly eventsPublished: Counter<'origin'>;
  readonly storeOperations: Counter<'operation' | 'outcome'>;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  /** Reads node counters and processing times from the engine; returns the unsubscribe. */
  attach(engine: Engine): () => void;
  text(): Promise<string>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  let engine: Engine | null = null;

  const eventsPublished = new Counter({
    name: 'events_published_total',
    help: 'Events that entered the system (http: published to /api/events; source: produced by a flow source)',
    labelNames: ['origin'] as const,
    registers: [registry],
  });

  /** The last `in` counter seen per node: the processed counter grows by the difference (a counter that went down, as the totals of a node removed and added again, starts over). */
  const lastIn = new Map<string, number>();
  new Counter({
    name: 'events_processed_total',
    help: 'Inputs handled by flow nodes',
    labelNames: ['flow_id', 'node_id'] as const,
    registers: [registry],
    collect() {
      if (!engine) return;
      for (const flowId of engine.running()) {
        for (const [nodeId, counters] of Object.entries(engine.localStatus(flowId).nodes)) {
          const key = `${flowId}\u0000${nodeId}`;
          const last = lastIn.get(key) ?? 0;
          const delta = counters.in >= last ? counters.in - last : counters.in;
          lastIn.set(key, counters.in);
          if (delta > 0) this.inc({ flow_id: flowId, node_id: nodeId }, delta);
        }
      }
    },
  });

  const processingDuration = new Histogram({
    name: 'event_processing_duration_seconds',
    help: 'From the commit of an event to the commit of the event a flow node derived from it',
    labelNames: ['flow_id', 'node_id'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const storeOperations = new Counter({
    name: 'event_store_operations_total',
    help: 'Event store operations by name and outcome',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });

  new Gauge({
    name: 'active_handlers',
    help: 'Nodes of running flows',
    registers: [registry],
    collect() {
      if (!engine) return this.set(0);
      let n = 0;
      for (const flowId of engine.running()) n += Object.keys(engine.localStatus(flowId).nodes).length;
      this.set(n);
    },
  });

  new Gauge({
    name: 'active_event_handlers',
    help: 'Nodes of running flows that take events in (every node but sources): the handlers events are delivered to',
    registers: [registry],
    collect() {
      this.set(engine ? engine.eventHandlers() : 0);
    },
  });

  /** The process's counts when this registry last read them: it reports what was made since it was created. */
  const lastComparisons: Record<ClockOperation, number> = { ...clockComparisons() };
  new Counter({
    name: 'vector_clock_comparisons_total',
    help: 'Vector clocks weighed against each other: compare (how two clocks stand, the memory store\'s causality answers) and merge (an event received)',
    labelNames: ['operation'] as const,
    registers: [registry],
    collect() {
      const now = clockComparisons();
      for (const operation of ['compare', 'merge'] as const satisfies readonly ClockOperation[]) {
        this.inc({ operation }, now[operation] - lastComparisons[operation]);
        lastComparisons[operation] = now[operation];
      }
    },
  });

  new Gauge({
    name: 'flows_running',
    help: 'Deployed flows running in this process',
    registers: [registry],
    collect() {
      this.set(engine ? engine.running().filter((id) => engine!.localStatus(id).state === 'running').length : 0);
    },
  });

  new Gauge({
    name: 'flow_node_events',
    help: 'Live node counters of running flows (in, out, errors: totals kept across restarts and deploys; queued)',
    labelNames: ['flow_id', 'node_id', 'counter'] as const,
    registers: [registry],
    collect() {
      this.reset();
      if (!engine) return;
      for (const flowId of engine.running()) {
        for (const [nodeId, c] of Object.entries(engine.localStatus(flowId).nodes)) {
          for (const counter of ['in', 'out', 'errors', 'queued'] as const) {
            this.set({ flow_id: flowId, node_id: nodeId, counter }, c[counter]);
          }
        }
      }
    },
  });

  new Gauge({
    name: 'cluster_flow_node_events',
    help: 'Live node counters (in, out, errors, queued) of every replica of the cluster, as each last reported them (this process alone: its own)',
    labelNames: ['process', 'flow_id', 'node_id', 'counter'] as const,
    registers: [registry],
    collect() {
      this.reset();
      if (!engine) return;
      for (const { process, flows } of engine.replicas()) {
        for (const [flowId, status] of Object.entries(flows)) {
          for (const [nodeId, c] of Object.entries(status.nodes)) {
            for (const counter of ['in', 'out', 'errors', 'queued'] as const) this.set({ process, flow_id: flowId, node_id: nodeId, counter }, c[counter]);
          }
        }
      }
    },
  });

  const httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });

  return {
    registry,
    eventsPublished,
    storeOperations,
    httpRequests,
    attach(e) {
      engine = e;
      const committedAt = new RecentTimes(50_000);
      // One labelled child per node, looked up once: labelling each observation costs more than observing it.
      const durationOf = new Map<string, Histogram.Internal<'flow_id' | 'node_id'>>();
      const durationFor = (flowId: string, nodeId: string) => {
        const key = `${flowId}\u0000${nodeId}`;
        let child = durationOf.get(key);
        if (!child) durationOf.set(key, (child = processingDuration.labels({ flow_id: flowId, node_id: nodeId })));
        return child;
      };
      const off = e.onAppended((events: StoredEvent[]) => {
        // With no flow running, no event gets processed: there is nothing to time, and no cause to remember.
        if (e.running().length === 0) return;
        const now = performance.now();
        let produced = 0;
        for (const event of events) {
          if (event.causationId !== null && event.flowId !== null && event.nodeId !== null) {
            const cause = committedAt.get(event.causationId);
            if (cause !== undefined) durationFor(event.flowId, event.nodeId).observe((now - cause) / 1000);
          } else if (event.causationId === null && event.nodeId !== null) {
            produced++;
          }
          committedAt.set(event.id, now);
        }
        if (produced > 0) eventsPublished.inc({ origin: 'source' }, produced);
      });
      return () => {
        off();
        if (engine === e) engine = null;
      };
    },
    text: () => registry.metrics(),
  };
}

/**
 * When recent events were committed, bounded: two generations of at most half the capacity each; when the young
 * one fills up it becomes the old one and the old one is dropped, so no entry is evicted one by one.
 */
export class RecentTimes {
  private young = new Map<string, number>();
  private old = new Map<string, number>();
  private readonly generation: number;

  constructor(capacity: number) {
    this.generation = Math.max(1, Math.ceil(capacity / 2));
  }

  get(id: string): number | undefined {
    return this.young.get(id) ?? this.old.get(id);
  }

  set(id: string, time: number): void {
    if (this.young.has(id) || this.old.has(id)) return;
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(id, time);
  }
}

const STORE_OPERATIONS = new Set([
  'append',
  'read',
  'readStream',
  'get',
  'head',
  'latestClock',
  'causality',
  'saveSnapshot',
  'loadSnapshot',
  'loadSnapshotAt',
  'getCheckpoint',
  'setCheckpoints',
  'subscribe',
  'dropNamespace',
]);

/** The same store, counting every operation in `event_store_operations_total`. */
export function instrumentStore(store: EventStore, metrics: Metrics): EventStore {
  const counter = metrics.storeOperations;
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof prop !== 'string' || !STORE_OPERATIONS.has(prop) || typeof value !== 'function') return value;
      let fn = wrapped.get(prop);
      if (!fn) {
        const method = value as (...args: unknown[]) => unknown;
        fn = (...args: unknown[]) => {
          let result: unknown;
          try {
            result = method.apply(target, args);
          } catch (error) {
            counter.inc({ operation: prop, outcome: 'error' });
            throw error;
          }
          if (result instanceof Promise) {
            return result.then(
              (v: unknown) => {
                counter.inc({ operation: prop, outcome: 'ok' });
                return v;
              },
              (error: unknown) => {
                counter.inc({ operation: prop, outcome: 'error' });
                throw error;
              },
            );
          }
          counter.inc({ operation: prop, outcome: 'ok' });
          return result;
        };
        wrapped.set(prop, fn);
      }
      return fn;
    },
  });
}
