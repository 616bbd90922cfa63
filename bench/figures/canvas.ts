/**
 * The editor canvas in headless Chromium against the real server: time until a 1,000-node flow is open and
 * interactive (nodes drawn, a node selectable), and the median frame time while a node is dragged across it.
 */
import type { Flow, FlowEdge, FlowNode } from '../../shared/flow.js';
import { api, e2eReadiness, launchBrowser, openPage, startApp } from '../../e2e/app.js';
import type { FigureGroup } from '../run.js';

const NODES = 1000;
const DRAG_STEPS = 90;

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

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

export const canvasFigures: FigureGroup = {
  names: ['canvas_1000_open_ms', 'canvas_drag_frame_ms_median'],
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
      // Warm the bundle and the caches once, then measure a fresh navigation.
      await page.goto(`${app.url}/flows/${created.body.id}`);
      await page.locator('.react-flow__node').first().waitFor({ timeout: 60_000 });
      await page.goto(`${app.url}/`);
      await page.getByRole('heading', { name: 'Flows' }).waitFor();

      const started = Date.now();
      await page.goto(`${app.url}/flows/${created.body.id}`);
      const firstNode = page.locator('.react-flow__node').first();
      await firstNode.waitFor({ timeout: 60_000 });
      await firstNode.click();
      await page.locator('.config-panel').waitFor();
      const openMs = Date.now() - started;

      const box = (await firstNode.boundingBox())!;
      // Scripts for the page go as text: the TypeScript loader would otherwise add helpers the page lacks.
      await page.evaluate(`(() => {
        window.frames_ = [];
        window.stop_ = false;
        let last = performance.now();
        const tick = (now) => {
          window.frames_.push(now - last);
          last = now;
          if (!window.stop_) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      })()`);
      await page.mouse.move(box.x + box.width / 2, box.y + 20);
      await page.mouse.down();
      for (let i = 1; i <= DRAG_STEPS; i++) await page.mouse.move(box.x + box.width / 2 + i * 4, box.y + 20 + i * 2);
      await page.mouse.up();
      const frames = await page.evaluate<number[]>(`(() => {
        window.stop_ = true;
        return window.frames_.slice(1);
      })()`);
      return [
        { name: 'canvas_1000_open_ms', value: openMs, unit: 'ms', goal: '≤ 1500 ms' },
        { name: 'canvas_drag_frame_ms_median', value: median(frames), unit: 'ms', goal: '≤ 16 ms' },
      ];
    } finally {
      await browser.close();
      await app.close();
    }
  },
};
