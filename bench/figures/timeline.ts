/**
 * Timeline, causality and replay figures:
 * - `replay_dry_run_events_per_s`: inputs per second through a 3-node flow, http → filter → transform, in
 *   dry-run, memory store: the median of five replays after three that warm the code up.
 * - `causality_query_1m_ms`: the median time of `store.causality(id, { limit: 1000 })` for random events of a
 *   SQLite store holding 1,000,000 events on 16 processes that message each other, so past and future cones are
 *   large.
 * - `timeline_100k_first_paint_ms`, `timeline_100k_all_drawn_ms` and `timeline_pan_frame_ms_median`: the real
 *   server holding 100,000 events (published over HTTP), headless Chromium at `/timeline`: time from navigation
 *   to the first frame that shows events (the page's `timeline:events-painted` mark; the newest page, the rest
 *   still loading), then to the diagram holding all 100,000, then the median time between animation frames while
 *   the diagram is dragged for about two seconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { receive, serialize, tick, type VectorClock } from '../../shared/clock.js';
import type { EventDraft } from '../../shared/event.js';
import type { Flow } from '../../shared/flow.js';
import { ReplayRun } from '../../server/replay/run.js';
import { openMemoryStore, openStore } from '../../server/store/index.js';
import { api, e2eReadiness, launchBrowser, openPage, startApp } from '../../e2e/app.js';
import { EVENTS_PAINTED_MARK } from '../../web/timeline/marks.js';
import type { Figure } from '../report.js';
import { frameTimes, ONE_FRAME } from '../frames.js';
import { median, spreadOf } from '../stats.js';
import type { FigureGroup } from '../figure-group.js';

const REPLAY_INPUTS = 20_000;
const REPLAY_WARMUPS = 3;
const REPLAY_RUNS = 5;

const CAUSALITY_EVENTS = 1_000_000;
const CAUSALITY_PROCESSES = 16;
const CAUSALITY_APPEND_BATCH = 5_000;
const CAUSALITY_QUERIES = 21;
const CAUSALITY_LIMIT = 1000;

const TIMELINE_EVENTS = 100_000;
const TIMELINE_PROCESSES = 12;
const PUBLISH_BATCH = 5_000;
const PAN_MS = 2_000;
const PAN_STEP_PX = 4;

/** Share of events that are the receipt of a message from another process. */
const MESSAGE_SHARE = 0.25;


/** A small seeded generator (mulberry32), so every run builds the same history. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface HistoryEvent {
  index: number;
  id: string;
  process: string;
  vectorClock: VectorClock;
  /** The sent event this one receives, or null for a local event. */
  causationId: string | null;
}

/**
 * A well-formed distributed history, one event at a time: each event happens on a random process; a share of
 * them receive the latest event of another process (merge its clock, then tick), the rest are local (tick).
 */
export class MessageHistory {
  private readonly clocks: VectorClock[];
  private readonly lastIds: (string | null)[];
  private readonly random: () => number;
  private count = 0;

  constructor(
    readonly processes: string[],
    seed: number,
  ) {
    this.clocks = processes.map(() => ({}));
    this.lastIds = processes.map(() => null);
    this.random = seededRandom(seed);
  }

  next(): HistoryEvent {
    const index = this.count++;
    const n = this.processes.length;
    const p = Math.floor(this.random() * n);
    const process = this.processes[p]!;
    const q = (p + 1 + Math.floor(this.random() * (n - 1))) % n;
    const sent = this.random() < MESSAGE_SHARE ? this.lastIds[q] : null;
    const clock = sent ? receive(this.clocks[p]!, this.clocks[q]!, process) : tick(this.clocks[p]!, process);
    const id = `ev-${index}`;
    this.clocks[p] = clock;
    this.lastIds[p] = id;
    return { index, id, process, vectorClock: clock, causationId: sent ?? null };
  }
}

export const processNames = (count: number) => Array.from({ length: count }, (_, i) => `node-${String(i + 1).padStart(2, '0')}`);
const eventTime = (index: number) => new Date(Date.UTC(2026, 0, 1) + index * 10).toISOString();
const eventType = (e: HistoryEvent) => (e.causationId ? 'message.received' : 'reading.recorded');

function draftOf(e: HistoryEvent): EventDraft {
  return {
    id: e.id,
    type: eventType(e),
    source: `bench://${e.process}`,
    time: eventTime(e.index),
    subject: e.process,
    datacontenttype: 'application/json',
    data: { n: e.index },
    stream: e.process,
    process: e.process,
    vectorClock: e.vectorClock,
    correlationId: e.causationId ?? e.id,
    causationId: e.causationId,
    flowId: null,
    nodeId: null,
    revision: null,
    metadata: {},
  };
}

function cloudEventOf(e: HistoryEvent): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: e.id,
    source: `bench://${e.process}`,
    type: eventType(e),
    time: eventTime(e.index),
    subject: e.process,
    data: { n: e.index },
    stream: e.process,
    process: e.process,
    vectorclock: serialize(e.vectorClock),
    correlationid: e.causationId ?? e.id,
    ...(e.causationId ? { causationid: e.causationId } : {}),
  };
}

/** One dry-run replay of REPLAY_INPUTS stored inputs through the bench flow: inputs per second. */
async function replayRate(): Promise<number> {
  const store = openMemoryStore();
  const flow = (await store.flows.create({
    id: 'bench',
    name: 'bench',
    nodes: [
      { id: 'in', type: 'http', config: { types: ['reading'] } },
      { id: 'warm', type: 'filter', config: { expression: 'data.t > 8' } },
      { id: 'conv', type: 'transform', config: { expression: "{'celsius': data.t}", type: 'converted' } },
    ],
    edges: [
      { id: 'e1', source: 'in', target: 'warm' },
      { id: 'e2', source: 'warm', target: 'conv' },
    ],
  } as never)) as Flow;
  const drafts: EventDraft[] = Array.from({ length: REPLAY_INPUTS }, (_, i) => ({
    id: `r${i}`,
    type: 'reading',
    source: 'bench',
    time: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
    subject: null,
    datacontenttype: 'application/json',
    data: { t: i % 16 },
    stream: 'bench',
    process: 'dev',
    vectorClock: { dev: i + 1 },
    correlationId: `r${i}`,
    causationId: null,
    flowId: null,
    nodeId: null,
    revision: null,
    metadata: {},
  }));
  for (let i = 0; i < drafts.length; i += 1000) await store.append(drafts.slice(i, i + 1000));
  const run = new ReplayRun('bench', { flowId: flow.id, mode: 'dry-run', speed: 'max' }, store, { timing: { pollMs: 2, settleMs: 1000, feedBatch: 1000 } });
  const started = process.hrtime.bigint();
  const status = await run.run(flow);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await store.close();
  if (status.state !== 'done') throw new Error(`the replay failed: ${status.error}`);
  return REPLAY_INPUTS / seconds;
}

/** The median of REPLAY_RUNS replays, after REPLAY_WARMUPS that warm the code up (a server runs warm). */
async function measureReplay(): Promise<Figure> {
  for (let i = 0; i < REPLAY_WARMUPS; i++) await replayRate();
  const rates: number[] = [];
  for (let i = 0; i < REPLAY_RUNS; i++) rates.push(await replayRate());
  return { name: 'replay_dry_run_events_per_s', value: median(rates), unit: 'events/s', spread: spreadOf(rates, 'rounds'), goal: '≥ 100,000 events/s' };
}

async function measureCausality(): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'causeway-bench-causality-'));
  const store = await openStore(`sqlite:${join(dir, 'db')}`);
  try {
    const history = new MessageHistory(processNames(CAUSALITY_PROCESSES), 1);
    const filling = performance.now();
    for (let at = 0; at < CAUSALITY_EVENTS; at += CAUSALITY_APPEND_BATCH) {
      const size = Math.min(CAUSALITY_APPEND_BATCH, CAUSALITY_EVENTS - at);
      await store.append(Array.from({ length: size }, () => draftOf(history.next())));
    }
    console.error(`causality: ${CAUSALITY_EVENTS} events stored in ${Math.round(performance.now() - filling)} ms`);

    const random = seededRandom(2);
    const times: number[] = [];
    let past = 0;
    let future = 0;
    // One query first, unmeasured, so statements are prepared and the database pages are warm.
    await store.causality(`ev-${CAUSALITY_EVENTS >> 1}`, { limit: CAUSALITY_LIMIT });
    for (let q = 0; q < CAUSALITY_QUERIES; q++) {
      const id = `ev-${Math.floor(random() * CAUSALITY_EVENTS)}`;
      const started = performance.now();
      const result = await store.causality(id, { limit: CAUSALITY_LIMIT });
      times.push(performance.now() - started);
      if (!result) throw new Error(`event ${id} is missing from the causality store`);
      past += result.pastCount;
      future += result.futureCount;
    }
    console.error(
      `causality: ${CAUSALITY_QUERIES} queries, mean past ${Math.round(past / CAUSALITY_QUERIES)}, mean future ${Math.round(future / CAUSALITY_QUERIES)}, ` +
        `times ${times.map((t) => t.toFixed(1)).join(' ')} ms`,
    );
    return { name: 'causality_query_1m_ms', value: median(times), unit: 'ms', spread: spreadOf(times, 'queries'), goal: '≤ 50 ms' };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Publishes a history over HTTP in batches, one request after another so each process's clock only grows. */
export async function publishHistory(app: Awaited<ReturnType<typeof startApp>>, history: MessageHistory, total: number): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let at = 0; at < total; at += PUBLISH_BATCH) {
    batches.push(Array.from({ length: Math.min(PUBLISH_BATCH, total - at) }, () => cloudEventOf(history.next())));
  }
  for (let i = 0; i < batches.length; i++) {
    const sent = await api<{ events: unknown[] }>(app, '/api/events', {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: JSON.stringify(batches[i]),
    });
    if (sent.status !== 202) throw new Error(`publishing batch ${i} answered ${sent.status}: ${JSON.stringify(sent.body).slice(0, 300)}`);
  }
}

interface PaintMark {
  startTime: number;
  detail: { events: number } | null;
}

/** The page's clock when the diagram holds `count` events. */
export async function waitForEventsDrawn(page: Page, count: number): Promise<number> {
  // Functions, not strings: the app's Content-Security-Policy forbids evaluating text as script.
  const handle = await page.waitForFunction(
    (least) => {
      const c = document.querySelector<HTMLCanvasElement>('canvas.timeline-canvas');
      return c && Number(c.dataset.events) >= least ? performance.now() : null;
    },
    count,
    { timeout: 120_000, polling: 50 },
  );
  return (await handle.jsonValue()) as number;
}

async function waitForEventsPainted(page: Page): Promise<PaintMark> {
  const handle = await page.waitForFunction(
    (name) => {
      const m = performance.getEntriesByName(name)[0] as PerformanceMark | undefined;
      return m ? { startTime: m.startTime, detail: m.detail as unknown } : null;
    },
    EVENTS_PAINTED_MARK,
    { timeout: 120_000, polling: 50 },
  );
  return (await handle.jsonValue()) as PaintMark;
}

/** Drags the diagram sideways for about PAN_MS and returns the times between animation frames meanwhile. */
export async function panFrameTimes(page: Page): Promise<number[]> {
  const box = await page.locator('canvas.timeline-canvas').first().boundingBox();
  if (!box) throw new Error('the timeline canvas has no box');
  return frameTimes(page, async () => {
    const y = box.y + Math.min(box.height / 2, 120);
    let x = box.x + box.width * 0.8;
    await page.mouse.move(x, y);
    await page.mouse.down();
    const started = Date.now();
    while (Date.now() - started < PAN_MS) {
      x -= PAN_STEP_PX;
      if (x < box.x + 200) x = box.x + box.width * 0.8;
      await page.mouse.move(x, y);
      await page.waitForTimeout(8);
    }
    await page.mouse.up();
  });
}

async function measureTimelineBrowser(): Promise<Figure[]> {
  const missing = e2eReadiness();
  if (missing) {
    console.error(`skipping the timeline browser figures: ${missing}`);
    return [];
  }
  const app = await startApp({ demo: false });
  const browser = await launchBrowser();
  try {
    const publishing = performance.now();
    await publishHistory(app, new MessageHistory(processNames(TIMELINE_PROCESSES), 3), TIMELINE_EVENTS);
    console.error(`timeline: ${TIMELINE_EVENTS} events published in ${Math.round(performance.now() - publishing)} ms`);

    const { page, errors } = await openPage(browser, `${app.url}/`);
    // Warm the bundle and the server's caches once, then measure a fresh navigation.
    await page.goto(`${app.url}/timeline`);
    await waitForEventsPainted(page);
    await waitForEventsDrawn(page, TIMELINE_EVENTS);
    await page.goto(`${app.url}/`);

    await page.goto(`${app.url}/timeline`, { waitUntil: 'commit' });
    const painted = await waitForEventsPainted(page);
    const drawn = painted.detail?.events ?? 0;
    console.error(`timeline: first paint with ${drawn} of ${TIMELINE_EVENTS} events at ${Math.round(painted.startTime)} ms`);
    const allDrawn = await waitForEventsDrawn(page, TIMELINE_EVENTS);
    console.error(`timeline: all ${TIMELINE_EVENTS} events on the diagram at ${Math.round(allDrawn)} ms`);

    const frames = await panFrameTimes(page);
    console.error(`timeline: ${frames.length} frames while panning, p90 ${frames.length ? [...frames].sort((a, b) => a - b)[Math.floor(frames.length * 0.9)]!.toFixed(1) : '–'} ms`);
    if (errors.length > 0) console.error(`timeline: page errors: ${errors.slice(0, 5).join(' | ')}`);
    return [
      { name: 'timeline_100k_first_paint_ms', value: painted.startTime, unit: 'ms', goal: '≤ 2000 ms' },
      { name: 'timeline_100k_all_drawn_ms', value: allDrawn, unit: 'ms' },
      { name: 'timeline_pan_frame_ms_median', value: median(frames), unit: 'ms', spread: spreadOf(frames, 'frames'), goal: ONE_FRAME },
    ];
  } finally {
    await browser.close();
    await app.close();
  }
}

export const timelineFigures: FigureGroup = {
  names: ['replay_dry_run_events_per_s', 'causality_query_1m_ms', 'timeline_100k_first_paint_ms', 'timeline_100k_all_drawn_ms', 'timeline_pan_frame_ms_median'],
  async run() {
    return [await measureReplay(), await measureCausality(), ...(await measureTimelineBrowser())];
  },
};
