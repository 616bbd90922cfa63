/**
 * The editor canvas in headless Chromium against the real server, with a 1,000-node flow: the time until it is
 * open and interactive (nodes drawn, a node selected, its settings shown), and two gestures — dragging a node, and
 * panning the whole flow fitted into view. Each gesture gives its median frame time (requestAnimationFrame
 * intervals, so one 60 Hz frame, 16.7 ms, is the smallest it can show) and the main thread's busy time per
 * mouse step (scripting, style, layout and paint, from Chromium's trace), which shows work a frame still hides.
 */
import type { CDPSession, Page } from 'playwright-core';
import type { Flow, FlowEdge, FlowNode } from '../../shared/flow.js';
import { api, e2eReadiness, launchBrowser, openPage, startApp } from '../../e2e/app.js';
import { frameTimes, ONE_FRAME } from '../frames.js';
import { median, spreadOf } from '../stats.js';
import type { FigureGroup } from '../figure-group.js';

const NODES = 1000;
const OPENINGS = 3;
const STEPS = 90;

function bigFlow(): { name: string; nodes: FlowNode[]; edges: FlowEdge[] } {
  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  const types = ['timer', 'filter', 'transform', 'debug'];
  for (let i = 0; i < NODES; i++) {
    const type = types[i % types.length] as string;
    const config = type === 'filter' ? { expression: 'true' } : type === 'transform' ? { expression: 'data' } : {};
    nodes.push({ id: `n${i + 1}`, type, name: `${type} ${i + 1}`, process: 'main', position: { x: (i % 40) * 220, y: Math.floor(i / 40) * 110 }, config });
    if (i % types.length !== 0) edges.push({ id: `e${i}`, source: `n${i}`, sourcePort: 'out', target: `n${i + 1}`, targetPort: 'in' });
  }
  return { name: 'bench canvas', nodes, edges };
}


interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string; data?: { type?: string } };
}

/**
 * Busy time of the page's main thread between the gesture's first pointer down and last pointer up: the sum of
 * its outermost tasks, in ms.
 */
function mainThreadBusyMs(events: readonly TraceEvent[]): number {
  const threads = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const dispatch = events.filter((e) => e.name === 'EventDispatch' && (e.args?.data?.type === 'pointerdown' || e.args?.data?.type === 'pointerup'));
  const down = dispatch.find((e) => e.args?.data?.type === 'pointerdown');
  const up = dispatch.findLast((e) => e.args?.data?.type === 'pointerup');
  const main = threads.find((t) => t.pid === down?.pid && t.tid === down?.tid);
  if (!down || !up || !main) throw new Error('the trace holds no pointer gesture on the page');
  const tasks = events
    .filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && e.ts + (e.dur ?? 0) >= down.ts && e.ts <= up.ts + (up.dur ?? 0))
    .sort((a, b) => a.ts - b.ts);
  let busy = 0;
  let end = -Infinity;
  for (const task of tasks) {
    const taskEnd = task.ts + (task.dur ?? 0);
    if (task.ts >= end) busy += task.dur ?? 0;
    else if (taskEnd > end) busy += taskEnd - end;
    end = Math.max(end, taskEnd);
  }
  return busy / 1000;
}

/** A mouse gesture: press at `from`, move `STEPS` times by `step`, release. */
async function gesture(page: Page, from: { x: number; y: number }, step: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= STEPS; i++) await page.mouse.move(from.x + i * step.x, from.y + i * step.y);
  await page.mouse.up();
}

/** Main-thread busy time per mouse step during a gesture, from a Chromium trace. */
async function busyPerStep(cdp: CDPSession, run: () => Promise<void>): Promise<number> {
  const events: TraceEvent[] = [];
  const collect = (d: { value: object[] }) => events.push(...(d.value as TraceEvent[]));
  cdp.on('Tracing.dataCollected', collect);
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['disabled-by-default-devtools.timeline', 'devtools.timeline', '__metadata'] }, transferMode: 'ReportEvents' });
  await run();
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await complete;
  cdp.off('Tracing.dataCollected', collect);
  return mainThreadBusyMs(events) / STEPS;
}

/** A point on the empty pane near its top edge (fit view leaves a margin there). */
async function emptyPanePoint(page: Page): Promise<{ x: number; y: number }> {
  const point = await page.evaluate<{ x: number; y: number } | null>(`(() => {
    const box = document.querySelector('.react-flow__pane').getBoundingClientRect();
    const x = box.left + box.width / 2;
    for (let y = box.top + 4; y < box.bottom; y += 4) {
      if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
    }
    return null;
  })()`);
  if (!point) throw new Error('no empty spot on the pane to pan from');
  return point;
}

export const canvasFigures: FigureGroup = {
  names: [
    'canvas_1000_open_ms',
    'canvas_drag_frame_ms_median',
    'canvas_drag_main_thread_ms_per_step',
    'canvas_pan_zoomed_out_frame_ms_median',
    'canvas_pan_zoomed_out_main_thread_ms_per_step',
  ],
  async run() {
    const missing = e2eReadiness();
    if (missing) {
      console.error(`skipping the canvas figures: ${missing}`);
      return [];
    }
    const app = await startApp({ demo: false });
    const browser = await launchBrowser();
    try {
      const created = await api<Flow>(app, '/api/flows', { method: 'POST', body: JSON.stringify(bigFlow()) });
      if (created.status !== 201) throw new Error(`could not create the bench flow: ${created.status}`);
      const { page } = await openPage(browser, `${app.url}/`);
      const editor = `${app.url}/flows/${created.body.id}`;
      // Warm the bundle and the caches once, then measure fresh navigations (the median of several).
      await page.goto(editor);
      await page.locator('.react-flow__node').first().waitFor({ timeout: 60_000 });
      const openings: number[] = [];
      for (let i = 0; i < OPENINGS; i++) {
        await page.goto(`${app.url}/`);
        await page.getByRole('heading', { name: 'Flows' }).waitFor();
        const started = Date.now();
        await page.goto(editor);
        const firstNode = page.locator('.react-flow__node').first();
        await firstNode.waitFor({ timeout: 60_000 });
        await firstNode.click();
        await page.locator('.config-panel').waitFor();
        openings.push(Date.now() - started);
      }

      const cdp = await page.context().newCDPSession(page);
      const node = (await page.locator('.react-flow__node').first().boundingBox())!;
      const grip = { x: node.x + node.width / 2, y: node.y + 20 };
      const dragFrames = await frameTimes(page, () => gesture(page, grip, { x: 4, y: 2 }));
      const back = { x: grip.x + STEPS * 4, y: grip.y + STEPS * 2 };
      const dragBusy = await busyPerStep(cdp, () => gesture(page, back, { x: -4, y: -2 }));

      // The whole flow in view (Shift+O, the overview: fit stops at a readable zoom), then the pane dragged.
      await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Shift+O');
      await page.waitForFunction((nodes) => document.querySelectorAll('.react-flow__node').length === nodes, NODES, { timeout: 60_000 });
      await page.waitForTimeout(500);
      const from = await emptyPanePoint(page);
      const panFrames = await frameTimes(page, () => gesture(page, from, { x: 3, y: 1 }));
      const panBusy = await busyPerStep(cdp, () => gesture(page, { x: from.x + STEPS * 3, y: from.y + STEPS }, { x: -3, y: -1 }));
      return [
        { name: 'canvas_1000_open_ms', value: median(openings), unit: 'ms', spread: spreadOf(openings, 'openings'), goal: '≤ 1500 ms' },
        { name: 'canvas_drag_frame_ms_median', value: median(dragFrames), unit: 'ms', spread: spreadOf(dragFrames, 'frames'), goal: ONE_FRAME },
        { name: 'canvas_drag_main_thread_ms_per_step', value: dragBusy, unit: 'ms' },
        { name: 'canvas_pan_zoomed_out_frame_ms_median', value: median(panFrames), unit: 'ms', spread: spreadOf(panFrames, 'frames'), goal: ONE_FRAME },
        { name: 'canvas_pan_zoomed_out_main_thread_ms_per_step', value: panBusy, unit: 'ms' },
      ];
    } finally {
      await browser.close();
      await app.close();
    }
  },
};
