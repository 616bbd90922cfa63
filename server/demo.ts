/**
 * The cold-chain demo: fridges on two edge processes report temperatures; readings above 8 °C pass a filter; an
 * actor per fridge raises an alert after three warm readings in a row; alerts show in the debug panel.
 *
 * "In a row" is read from the vector clock: each fridge is its own process and stamps every reading with its own
 * counter, so consecutive readings of a fridge have consecutive counters, even though the cool ones were
 * filtered out before the actor.
 *
 * Created and deployed on the first start only: a marker in the store remembers it, so a restart does not
 * deploy it again and a user who deleted it does not get it back.
 */
import type { FlowDraft } from '../shared/flow.js';
import type { Engine } from './runtime/engine.js';
import { isStoreError, type EventStore } from './store/index.js';

export const DEMO_FLOW_ID = 'f-cold-chain';
export const DEMO_MARKER = 'causeway:demo';

export interface DemoOptions {
  /** Per-message time limit of the actor (ms). */
  actorTimeoutMs?: number;
  snapshotEvery?: number;
  /** How often each fridge reports (ms). */
  intervalMs?: number;
}

const REDUCER = `
const n = event.vectorClock[event.process];
const run = state.last !== null && n === state.last + 1 ? state.run + 1 : 1;
const emit = run === 3
  ? [{ type: 'fridge.alert', data: { device: event.data.device, t: event.data.t, readings: run, message: event.data.device + ' is too warm: 3 readings in a row above 8 °C' } }]
  : [];
return { state: { last: n, run }, emit };`.trim();

export function demoFlow(options: DemoOptions = {}): FlowDraft & { id: string } {
  const intervalMs = options.intervalMs ?? 1000;
  const fridges = (id: string, process: string, prefix: string, base: number, seed: number, y: number) => ({
    id,
    type: 'simulator',
    name: `fridges on ${process}`,
    process,
    position: { x: 0, y },
    config: { devices: 3, intervalMs, type: 'fridge.reading', prefix, field: 't', model: { base, noise: 1.5, spikeChance: 0.02, spikeSize: 4 }, seed },
  });
  return {
    id: DEMO_FLOW_ID,
    name: 'Cold-chain monitor (demo)',
    description: 'Fridges on two edge processes → too warm (t > 8) → an actor per fridge alerts after 3 warm readings in a row → debug.',
    nodes: [
      fridges('fridges-a', 'edge-1', 'fridge-a', 7.5, 1, 0),
      fridges('fridges-b', 'edge-2', 'fridge-b', 7, 2, 160),
      { id: 'too-warm', type: 'filter', name: 'too warm', process: 'main', position: { x: 260, y: 80 }, config: { expression: 'data.t > 8' } },
      {
        id: 'per-fridge',
        type: 'actor',
        name: 'alert after 3 in a row',
        process: 'cloud',
        position: { x: 520, y: 80 },
        config: {
          key: 'data.device',
          initialState: { last: null, run: 0 },
          reducer: REDUCER,
          strategy: 'restart',
          timeoutMs: options.actorTimeoutMs ?? 100,
          snapshotEvery: options.snapshotEvery ?? 100,
        },
      },
      { id: 'alerts', type: 'debug', name: 'alerts', process: 'main', position: { x: 780, y: 80 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'fridges-a', sourcePort: 'out', target: 'too-warm', targetPort: 'in' },
      { id: 'e2', source: 'fridges-b', sourcePort: 'out', target: 'too-warm', targetPort: 'in' },
      { id: 'e3', source: 'too-warm', sourcePort: 'out', target: 'per-fridge', targetPort: 'in' },
      { id: 'e4', source: 'per-fridge', sourcePort: 'out', target: 'alerts', targetPort: 'in' },
    ],
  };
}

export type DemoOutcome = { created: true; flowId: string; revision: number } | { created: false; reason: 'already-created' };

/** Creates and deploys the demo once per store. */
export async function ensureDemo(store: EventStore, engine: Engine, options: DemoOptions = {}): Promise<DemoOutcome> {
  if (await store.loadSnapshot(DEMO_MARKER)) return { created: false, reason: 'already-created' };
  const draft = demoFlow(options);
  // Replicas of a cluster starting together on an empty database race to create it: the one that loses takes the
  // winner's (its deploy is then the same deployment, recorded twice).
  const flow =
    (await store.flows.get(draft.id)) ??
    (await store.flows.create(draft, 'causeway').catch(async (error: unknown) => {
      const made = isStoreError(error, 'revision_conflict') ? await store.flows.get(draft.id) : null;
      if (!made) throw error;
      return made;
    }));
  const result = await engine.deploy(flow);
  if (!result.ok) throw new Error(`the demo flow does not compile: ${result.errors.map((e) => e.message).join('; ')}`);
  await store.saveSnapshot({ key: DEMO_MARKER, state: { flowId: flow.id, createdAt: new Date().toISOString() }, position: 0 });
  return { created: true, flowId: flow.id, revision: flow.revision };
}
