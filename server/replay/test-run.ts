/**
 * A flow test: a flow document as drawn (saved or not) compiled as a deploy would compile it, and a few events run
 * through it by the real runtime, in dry-run, isolated from everything live.
 *
 * Isolation is a store of its own, not a namespace of the live one: the run's runtime appends to a fresh in-memory
 * store that is thrown away after, so nothing of a test is ever written where live streams, checkpoints or the
 * timeline are (a namespace would still write to the database and need dropping after). The live store is only
 * read, for the inputs (test-inputs.ts). Sources that would produce on their own (timers, devices, MQTT) only route
 * (replay-graph.ts), and every sink with side effects is given `recordEffect`: it records, it never sends.
 *
 * Bounded: at most MAX_TEST_EVENTS inputs, at most `maxEvents` events in the test's store (a flow that derives
 * without end fills it and its node stalls), and `timeLimitMs` for the whole run; user code has the sandbox's own
 * limits per input. A run cut short answers what it saw with `stopped` saying why.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { FlowTestResult, TestInput } from '../../shared/api/flow-tests.js';
import type { FlowInput } from '../../shared/flow.js';
import { compile, type CompileOptions, type CompileProblem } from '../compiler/compile.js';
import { FlowRuntime } from '../runtime/flow-runtime.js';
import { ProcessClocks } from '../runtime/process-clocks.js';
import type { UserCodePool } from '../runtime/user-code/pool.js';
import { type EventStore, openMemoryStore, StoreError } from '../store/index.js';
import { replayGraph } from './replay-graph.js';
import { testFeeds } from './test-inputs.js';
import { TestRecord } from './test-record.js';

/** The flow id a document without one runs under. */
export const UNSAVED_FLOW_ID = 'unsaved';

export interface FlowTestOptions {
  compile?: CompileOptions;
  userCode?: UserCodePool;
  /** The longest a test runs, start to answer (ms). Default 10 s. */
  timeLimitMs?: number;
  /** The most events the test's own store takes (inputs, derived events, dead letters). Default 10,000. */
  maxEvents?: number;
}

export type FlowTestOutcome = { ok: true; result: FlowTestResult } | { ok: false; errors: CompileProblem[]; warnings: CompileProblem[] };

/** The store refuses appends past `max` events: the node that makes them stalls and the run stops. */
function cappedStore(store: EventStore, max: number): EventStore {
  let count = 0;
  const append: EventStore['append'] = (events, options) => {
    if (count + events.length > max) return Promise.reject(new StoreError('storage_full', `a test holds at most ${max} events: the flow derived more`, { max }));
    count += events.length;
    return store.append(events, options);
  };
  return new Proxy(store, {
    get(target, key) {
      if (key === 'append') return append;
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export async function runFlowTest(live: EventStore, request: { flow: FlowInput; inputs: readonly TestInput[] }, options: FlowTestOptions = {}): Promise<FlowTestOutcome> {
  const started = Date.now();
  const timeLimitMs = options.timeLimitMs ?? 10_000;
  const deadline = started + timeLimitMs;
  const compiled = await compile({ ...request.flow, id: request.flow.id ?? UNSAVED_FLOW_ID }, options.compile ?? {});
  if (!compiled.ok) return { ok: false, errors: compiled.errors, warnings: compiled.warnings };
  const feeds = await testFeeds(live, compiled.graph, request.inputs);
  const graph = replayGraph(compiled.graph);
  const record = new TestRecord(graph);
  const maxEvents = options.maxEvents ?? 10_000;
  const store = cappedStore(openMemoryStore(), maxEvents + feeds.length);
  const runtime = new FlowRuntime(graph, {
    store,
    clocks: new ProcessClocks(store),
    ...(options.userCode ? { userCode: options.userCode } : {}),
    recordEffect: record.effect,
    onDebug: (m) => record.debugged(m.nodeId, m.event),
    onDeliver: record.delivered,
  });
  let stopped: string | null = null;
  const late = `the test ran out of time (${timeLimitMs} ms): what it saw until then`;
  await runtime.start();
  let drained: Promise<void> = Promise.resolve();
  try {
    // Each enters as an event its source produced: the runtime passes it on from that source's `out` port.
    const drafts = feeds.map(({ source, event }) => ({ ...event, flowId: graph.flowId, nodeId: source, revision: null, metadata: { ...event.metadata, port: 'out' } }));
    record.expect(drafts.map((d) => d.id));
    const appended = await store.append(drafts);
    appended.forEach((r, i) => record.entered(feeds[i]!.source, r.event));
    // Once every input is on its way, a drain finishes them with all they cause (and flushes what batches hold).
    await until(() => record.dispatched >= feeds.length || runtime.failed !== null, deadline);
  } finally {
    drained = runtime.drain().finally(() => store.close());
  }
  // A run whose store refused its events holds them for ever, and one out of time is not waited for: either is left
  // to end on its own (user code is bounded, and so is the store).
  let done = false;
  void drained.then(
    () => (done = true),
    () => (done = true),
  );
  if (!(await until(() => done || runtime.failed !== null, deadline))) stopped = late;
  if (runtime.failed) stopped = `the run stopped: ${runtime.failed.replace(/^StoreError: /, '')}`;
  return { ok: true, result: record.result({ inputs: feeds.length, stopped, warnings: compiled.warnings, durationMs: Date.now() - started }) };
}

/** Polls until `holds`; false: the deadline came first. */
async function until(holds: () => boolean, deadline: number): Promise<boolean> {
  while (!holds()) {
    if (Date.now() >= deadline) return false;
    await delay(5);
  }
  return true;
}
