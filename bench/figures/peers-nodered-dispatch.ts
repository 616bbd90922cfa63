/**
 * `nodered_dispatch`: in-process dispatch of generated events through the same flow, filter then transform, with
 * no HTTP: the highest rate each sustains. Node-RED's generator is an inject node ticking every 10 ms into a
 * function node that sends the messages due at the rate asked for (bench/peers/node-red/dispatch-flow.json), then
 * switch → change → a node that counts; Causeway's is a 10 ms timer in the engine's process that publishes the
 * events due as one batch, then http in → filter → transform (the engine figure's flow), counted by a listener on
 * the engine, on the in-memory store and on durable SQLite.
 *
 * A rate is sustained when, in a 2 s step at that rate, the generator sent what was due and the flow had handled
 * it all within 250 ms of the step's end. The search doubles as a warm-up: it starts low, goes up by half until a
 * step fails, then narrows the gap three times; the answer is the highest rate sustained. Node-RED's queue between
 * nodes has no bound — a generator that outruns the flow grows its memory until it has handled the excess — so the
 * failed steps log Node-RED's backlog and RSS; Causeway's publish waits once its flows lag too far behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type PublishInput } from '../../server/runtime/engine.js';
import { openStore } from '../../server/store/index.js';
import { figuresOf, interleaved, roundsTable, type Contender } from '../rounds.js';
import type { FigureGroup } from '../figure-group.js';
import { flow } from './engine.js';
import { rssSampler } from './memory.js';
import { ensurePeers } from './peers-install.js';
import { withNodeRed } from './peers-nodered.js';

const ROUNDS = 3;
const STEP_MS = 2_000;
const SETTLE_MS = 250;
const TICK_MS = 10;
const START_RATE = 20_000;
const LOWEST_RATE = 1_000;
const HIGHEST_RATE = 2_000_000;
const NARROWINGS = 3;
/** A step may fall this short of what was due (timer granularity) and still count as sustained. */
const SLACK = 0.02;
/** How long a flow may take to catch up after a failed step before the run is given up. */
const DRAIN_LIMIT_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Counts {
  generated: number;
  handled: number;
}

/** A flow with a paced generator: start a step, read the counters. */
interface Paced {
  step(rate: number, ms: number): Promise<void>;
  counts(): Promise<Counts>;
  /** After a failed step, for the log. */
  describe?(): string;
}

async function drained(target: Paced): Promise<void> {
  const until = performance.now() + DRAIN_LIMIT_MS;
  for (;;) {
    const c = await target.counts();
    if (c.handled >= c.generated) return;
    if (performance.now() > until) throw new Error(`the flow did not catch up within ${DRAIN_LIMIT_MS} ms (${c.generated - c.handled} behind)`);
    await sleep(50);
  }
}

/** One step at `rate`: was it sustained? Waits for the flow to catch up either way. */
async function sustains(target: Paced, rate: number, name: string): Promise<boolean> {
  const before = await target.counts();
  await target.step(rate, STEP_MS);
  await sleep(STEP_MS + SETTLE_MS);
  const after = await target.counts();
  const due = (rate * STEP_MS) / 1000;
  const sent = after.generated - before.generated;
  const behind = after.generated - after.handled;
  const ok = sent >= due * (1 - SLACK) && behind <= due * SLACK;
  if (!ok) console.error(`    ${name} at ${rate.toLocaleString('en-US')}/s: sent ${sent.toLocaleString('en-US')} of ${due.toLocaleString('en-US')}, ${behind.toLocaleString('en-US')} not yet handled ${SETTLE_MS} ms after the step${target.describe ? `; ${target.describe()}` : ''}`);
  await drained(target);
  return ok;
}

/** The highest rate `target` sustains (see the file's head). */
async function highestSustained(target: Paced, name: string): Promise<number> {
  let low = 0;
  let high = 0;
  for (let rate = START_RATE; rate <= HIGHEST_RATE && high === 0; rate = Math.round(rate * 1.5)) {
    if (await sustains(target, rate, name)) low = rate;
    else high = rate;
  }
  if (high === 0) return low;
  // Not even the first step: look below it.
  for (let rate = Math.round(high / 1.5); low === 0 && rate >= LOWEST_RATE; rate = Math.round(rate / 1.5)) {
    if (await sustains(target, rate, name)) low = rate;
    else high = rate;
  }
  for (let i = 0; i < NARROWINGS && low > 0; i++) {
    const rate = Math.round(Math.sqrt(low * high));
    if (await sustains(target, rate, name)) low = rate;
    else high = rate;
  }
  return low;
}

async function noderedRun(): Promise<number> {
  return withNodeRed('dispatch-flow.json', async ({ url, pid }) => {
    const rss = rssSampler(pid);
    const target: Paced = {
      async step(rate, ms) {
        const answer = await fetch(`${url}/bench/rate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rate, ms }) });
        if (answer.status !== 200) throw new Error(`Node-RED's /bench/rate answered ${answer.status}`);
        await answer.arrayBuffer();
      },
      async counts() {
        return (await (await fetch(`${url}/bench/counts`)).json()) as Counts;
      },
      describe: () => `Node-RED's RSS so far at most ${rss.most().toFixed(0)} MB`,
    };
    try {
      return await highestSustained(target, 'Node-RED');
    } finally {
      rss.stop();
    }
  });
}

const reading = (i: number): PublishInput => ({ type: 'reading.recorded', source: `bench://sensor-${i % 16}`, subject: `sensor-${i % 16}`, data: { t: (i % 200) / 10 } });

async function causewayRun(url: string): Promise<number> {
  const store = await openStore(url);
  const engine = new Engine({ store, maxLag: 50_000 });
  let timer: NodeJS.Timeout | undefined;
  try {
    const deployed = await engine.deploy(await store.flows.create(flow));
    if (!deployed.ok) throw new Error(JSON.stringify(deployed.errors));
    const counts: Counts = { generated: 0, handled: 0 };
    let failure: unknown = null;
    engine.onAppended((events) => {
      for (const e of events) if (e.nodeId === 'conv') counts.handled++;
    });
    let base = 0;
    let started = 0;
    let until = 0;
    let rate = 0;
    // Paced by the clock, as Node-RED's generator is: what is due since the step began, whatever the ticks' timing.
    timer = setInterval(() => {
      const due = base + Math.floor((rate * (Math.min(performance.now(), until) - started)) / 1000);
      if (due <= counts.generated) return;
      const inputs = Array.from({ length: due - counts.generated }, (_, k) => reading(counts.generated + k));
      counts.generated = due;
      engine.publish(inputs).catch((error: unknown) => (failure = error));
    }, TICK_MS);
    const target: Paced = {
      async step(r, ms) {
        base = counts.generated;
        started = performance.now();
        until = started + ms;
        rate = r;
      },
      async counts() {
        if (failure) throw failure;
        return { ...counts };
      },
    };
    return await highestSustained(target, url === 'memory:' ? 'Causeway in memory' : 'Causeway on SQLite');
  } finally {
    clearInterval(timer);
    await engine.close();
    await store.close();
  }
}

function contenders(dir: string): Contender[] {
  const nodered = 'nodered_dispatch_nodered_events_per_s';
  return [
    { name: nodered, unit: 'events/s', run: noderedRun },
    { name: 'nodered_dispatch_causeway_memory_events_per_s', unit: 'events/s', baseline: nodered, run: () => causewayRun('memory:') },
    { name: 'nodered_dispatch_causeway_sqlite_events_per_s', unit: 'events/s', baseline: nodered, run: (round) => causewayRun(`sqlite:${join(dir, `dispatch-${round}.db`)}`) },
  ];
}

export const noderedDispatchFigures: FigureGroup = {
  names: contenders('').map((c) => c.name),
  async run() {
    ensurePeers();
    const dir = mkdtempSync(join(tmpdir(), 'causeway-bench-peers-'));
    try {
      const measured = await interleaved(contenders(dir), ROUNDS);
      console.log(roundsTable('nodered_dispatch', measured));
      return figuresOf(measured);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
