/**
 * The port boxes the editor hands React Flow (web/canvas/card-geometry.ts), which it uses to place wires without
 * measuring the cards, must be where Chromium actually draws each card's handles: a change to the cards' styles that
 * moved a handle would otherwise leave every wire ending beside its port.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Flow, FlowNode } from '../shared/flow.js';
import { cardHandles } from '../web/canvas/card-geometry.js';
import { portsOf } from '../web/canvas/ports.js';
import { api, describeE2e, launchBrowser, openPage, startApp, type RunningApp } from './support.js';

const node = (id: string, type: string, x: number, config: Record<string, unknown>): Omit<FlowNode, 'process'> & { process: string } => ({
  id,
  type,
  name: id,
  process: 'main',
  position: { x, y: 40 },
  config,
});

/** Cards with no input, one of each, and many outputs (a router's rules make its card taller). */
const flow = {
  name: 'ports',
  nodes: [
    node('sim', 'simulator', 0, { devices: 2, intervalMs: 1000, type: 'reading.recorded' }),
    node('route', 'router', 260, {
      rules: [
        { port: 'hot', expression: 'data.t > 8' },
        { port: 'cold', expression: 'data.t < 2' },
        { port: 'odd', expression: 'data.t % 2 = 1' },
        { port: 'big', expression: 'data.t > 100' },
      ],
    }),
    node('dbg', 'debug', 520, {}),
  ],
  edges: [
    { id: 'e1', source: 'sim', sourcePort: 'out', target: 'route', targetPort: 'in' },
    { id: 'e2', source: 'route', sourcePort: 'hot', target: 'dbg', targetPort: 'in' },
  ],
};

describeE2e('card port geometry in the browser', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startApp({ demo: false });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('draws every handle where the boxes given to React Flow say it is', async () => {
    const created = await api<Flow>(app, '/api/flows', { method: 'POST', body: JSON.stringify(flow) });
    expect(created.status).toBe(201);
    const { page } = await openPage(browser, `${app.url}/flows/${created.body.id}`);
    await page.locator('.react-flow__node[data-id="dbg"]').waitFor();

    const zoom = await page.evaluate(() => {
      const transform = getComputedStyle(document.querySelector('.react-flow__viewport')!).transform;
      return new DOMMatrixReadOnly(transform).a;
    });
    let checked = 0;
    for (const n of created.body.nodes) {
      const card = page.locator(`.react-flow__node[data-id="${n.id}"]`);
      const cardBox = (await card.boundingBox())!;
      for (const handle of cardHandles(portsOf(n))) {
        const side = handle.type === 'target' ? 'target' : 'source';
        const drawn = (await card.locator(`.react-flow__handle.${side}[data-handleid="${handle.id}"]`).boundingBox())!;
        expect(drawn, `${n.id}.${handle.id ?? ''} is drawn`).not.toBeNull();
        const centre = { x: (drawn.x + drawn.width / 2 - cardBox.x) / zoom, y: (drawn.y + drawn.height / 2 - cardBox.y) / zoom };
        const given = { x: handle.x + (handle.width ?? 0) / 2, y: handle.y + (handle.height ?? 0) / 2 };
        expect(Math.abs(centre.x - given.x), `${n.id}.${handle.id ?? ''} x: drawn ${centre.x}, given ${given.x}`).toBeLessThanOrEqual(1.5);
        expect(Math.abs(centre.y - given.y), `${n.id}.${handle.id ?? ''} y: drawn ${centre.y}, given ${given.y}`).toBeLessThanOrEqual(1.5);
        checked++;
      }
    }
    // simulator: 1 output; router: 1 input and 5 outputs (4 rules and "otherwise"); debug: 1 input.
    expect(checked).toBe(8);
  });
});
