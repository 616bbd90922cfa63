/**
 * `replay_actor_events_per_s`: inputs per second of a dry-run replay through simulator → filter → actor, starting
 * in the middle of the flow's history, so each actor key first starts from the state it had there (the snapshot
 * history, then the inputs since) before the replayed inputs are folded. Memory store; 40,000 readings of 50
 * devices run live first (a snapshot every 100 actor inputs), then the second half is replayed: the median of
 * three replays after one that warms the code up. Each replay must be identical to the original, or the figure
 * fails. Its baseline is the stateless `replay_dry_run_events_per_s`.
 */
import type { EventDraft } from '../../shared/event.js';
import type { Flow } from '../../shared/flow.js';
import { compile } from '../../server/compiler/compile.js';
import { replayGraph } from '../../server/replay/replay-graph.js';
import { ReplayRun } from '../../server/replay/run.js';
import { checkpointKey } from '../../server/runtime/checkpoints.js';
import { FlowRuntime } from '../../server/runtime/flow-runtime.js';
import { ProcessClocks } from '../../server/runtime/process-clocks.js';
import { openMemoryStore, type EventStore } from '../../server/store/index.js';
import type { FigureGroup } from '../figure-group.js';
import type { Figure } from '../report.js';
import { median, spreadOf } from '../stats.js';

const READINGS = 40_000;
const DEVICES = 50;
const WARMUPS = 1;
const RUNS = 3;

const FLOW = {
  id: 'bench-actor',
  name: 'bench actor',
  description: '',
  nodes: [
    {
      id: 'sim',
      type: 'simulator',
      config: { devices: DEVICES, intervalMs: 1000, type: 'fridge.reading', prefix: 'fridge', field: 't', model: { base: 8, noise: 1.5, spikeChance: 0, spikeSize: 0 }, seed: 1 },
    },
    { id: 'warm', type: 'filter', config: { expression: 'data.t > 7' } },
    {
      id: 'count',
      type: 'actor',
      config: {
        key: 'data.device',
        initialState: { n: 0, sum: 0 },
        reducer: 'const n = state.n + 1; const sum = state.sum + event.data.t; return { state: { n, sum }, emit: n % 10 === 0 ? [{ type: "fridge.mean", data: { device: event.data.device, mean: sum / n } }] : [] };',
      },
    },
  ],
  edges: [
    { id: 'e1', source: 'sim', target: 'warm' },
    { id: 'e2', source: 'warm', target: 'count' },
  ],
};

/** What the simulator would have stored: READINGS readings, a millisecond apart. */
function readings(): EventDraft[] {
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: READINGS }, (_, i) => {
    const device = `fridge-${i % DEVICES}`;
    return {
      id: `sim-${i}`,
      type: 'fridge.reading',
      source: `causeway://flows/${FLOW.id}/nodes/sim`,
      time: new Date(start + i).toISOString(),
      subject: device,
      datacontenttype: 'application/json',
      data: { device, t: 6 + ((i * 7919) % 50) / 10 },
      stream: `flow/${FLOW.id}/sim`,
      process: 'sim',
      vectorClock: { sim: i + 1 },
      correlationId: `sim-${i}`,
      causationId: null,
      flowId: FLOW.id,
      nodeId: 'sim',
      revision: 1,
      metadata: { port: 'out', hops: 0 },
    };
  });
}

/** A store holding the flow's live history: the readings, run through it from the first. */
async function history(): Promise<{ store: EventStore; flow: Flow; from: string }> {
  const store = openMemoryStore();
  const flow = (await store.flows.create(FLOW as never)) as Flow;
  const compiled = await compile(flow);
  if (!compiled.ok) throw new Error('the bench flow does not compile');
  const drafts = readings();
  for (let i = 0; i < drafts.length; i += 1000) await store.append(drafts.slice(i, i + 1000));
  await store.setCheckpoints({ [checkpointKey(flow.id)]: 0 });
  // The simulator's events are in the log already: it only routes them.
  const runtime = new FlowRuntime(replayGraph(compiled.graph), { store, clocks: new ProcessClocks(store) });
  await runtime.start();
  while (runtime.checkpoint < (await store.head())) await new Promise((r) => setTimeout(r, 20));
  await runtime.drain();
  return { store, flow, from: drafts[READINGS / 2]!.time };
}

async function replayRate(source: { store: EventStore; flow: Flow; from: string }): Promise<number> {
  const run = new ReplayRun(`bench-${Math.random()}`, { flowId: source.flow.id, from: source.from, mode: 'dry-run', speed: 'max' }, source.store, {
    timing: { pollMs: 2, settleMs: 1000, feedBatch: 1000 },
  });
  const started = process.hrtime.bigint();
  const status = await run.run(source.flow);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (status.state !== 'done') throw new Error(`the replay failed: ${status.error}`);
  if (status.diff.changed + status.diff.missing + status.diff.extra > 0) throw new Error(`the replay differs from the original: ${JSON.stringify(status.diff)}`);
  await source.store.dropNamespace(run.namespace);
  return status.input / seconds;
}

async function measure(): Promise<Figure> {
  const source = await history();
  try {
    for (let i = 0; i < WARMUPS; i++) await replayRate(source);
    const rates: number[] = [];
    for (let i = 0; i < RUNS; i++) rates.push(await replayRate(source));
    return {
      name: 'replay_actor_events_per_s',
      value: median(rates),
      unit: 'events/s',
      spread: spreadOf(rates, 'rounds'),
      // Against the stateless replay: what starting actors mid-history and folding state costs.
      baseline: 'replay_dry_run_events_per_s',
    };
  } finally {
    await source.store.close();
  }
}

export const replayActorFigures: FigureGroup = {
  names: ['replay_actor_events_per_s'],
  baselines: ['replay_dry_run_events_per_s'],
  async run() {
    return [await measure()];
  },
};
