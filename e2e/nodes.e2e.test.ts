/**
 * Readable nodes and honest status, in real Chromium against the real server: fit and auto-layout of a chain of six
 * nodes keep card text at 10 px or more on a 1440 px screen (and each card has its type's icon); a running flow's
 * cards carry a status line (rate, last event, an actor's live keys) and hovering a node shows the last events it
 * took in and sent out, live; an unreachable server turns the running dot grey with a banner, and what the outage
 * left stale clears once the server answers again — in the editor and on the flows list.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, describeE2e, eventually, launchBrowser, openPage, startApp, type OpenedPage, type RunningApp } from './support.js';

const CE = { 'content-type': 'application/cloudevents+json' };
let sent = 0;
const reading = (device: string, t: number) => ({ specversion: '1.0', id: `r-${++sent}`, source: `test://${device}`, type: 'reading.recorded', data: { device, t } });

const chain = {
  name: 'six in a row',
  nodes: ['http', 'filter', 'transform', 'throttle', 'dedupe', 'debug'].map((type, i) => ({
    id: `c${i + 1}`,
    type,
    // Far apart, so a fit of the whole chain would need a small zoom.
    position: { x: i * 420, y: (i % 2) * 160 },
    config: type === 'http' ? { types: ['chain.*'] } : type === 'filter' ? { expression: 'true' } : type === 'transform' ? { expression: 'data', type: 'chain.out' } : {},
  })),
  edges: [1, 2, 3, 4, 5].map((i) => ({ id: `e${i}`, source: `c${i}`, target: `c${i + 1}` })),
};

const watched = {
  name: 'watched',
  nodes: [
    { id: 'in', type: 'http', position: { x: 0, y: 0 }, config: { types: ['reading.*'] } },
    { id: 'conv', type: 'transform', position: { x: 240, y: 0 }, config: { expression: "{'celsius': data.t, 'device': data.device}", type: 'reading.converted' } },
    {
      id: 'per-device',
      type: 'actor',
      position: { x: 480, y: 0 },
      config: { key: 'data.device', reducer: 'return { state: { n: (state.n || 0) + 1 }, emit: [] };' },
    },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'conv' },
    { id: 'e2', source: 'conv', target: 'per-device' },
  ],
};

/** The canvas zoom, from the transform React Flow puts on its viewport. */
const zoomOf = (page: Page) =>
  page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);

/** The smallest text on any card drawn, in screen pixels: its font size times the zoom. */
const smallestCardText = (page: Page) =>
  page.locator('.react-flow__viewport').evaluate((viewport) => {
    const zoom = new DOMMatrix(getComputedStyle(viewport).transform).a;
    let smallest = Infinity;
    for (const el of viewport.querySelectorAll('.flow-node, .flow-node *')) {
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
      if (own) smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize) * zoom);
    }
    return smallest;
  });

/** 10 px, less the rounding of a zoom held as a 32-bit float in the transform. */
const TEN_PX = 10 - 1e-3;

const create = async (app: RunningApp, flow: unknown) => (await api<{ id: string }>(app, '/api/flows', { method: 'POST', body: JSON.stringify(flow) })).body.id;

describeE2e('readable nodes and honest status', () => {
  let app: RunningApp;
  let browser: Browser;
  let opened: OpenedPage;

  beforeAll(async () => {
    app = await startApp({ demo: false });
    browser = await launchBrowser();
    opened = await openPage(browser, app.url);
    await opened.page.setViewportSize({ width: 1440, height: 900 });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('keeps card text at 10 px or more when a chain of six is laid out and fitted, scrolling instead', async () => {
    const { page } = opened;
    const id = await create(app, chain);
    await page.goto(`${app.url}/flows/${id}`);
    await page.locator('.react-flow__node').first().waitFor();
    expect(await smallestCardText(page)).toBeGreaterThanOrEqual(TEN_PX);

    await page.getByRole('button', { name: 'Auto-layout' }).click();
    // Laid out in one row (they were set in a zigzag).
    await eventually(async () => (await page.locator('[data-testid="node-c1"]').boundingBox())?.y === (await page.locator('[data-testid="node-c2"]').boundingBox())?.y, 'the layout');
    expect(await smallestCardText(page)).toBeGreaterThanOrEqual(TEN_PX);
    // The first node is on screen; the chain goes on beyond the right edge, a scroll away.
    const canvas = (await page.locator('.react-flow__pane').boundingBox())!;
    const first = (await page.locator('[data-testid="node-c1"]').boundingBox())!;
    expect(first.x).toBeGreaterThanOrEqual(canvas.x);
    expect(first.x + first.width).toBeLessThanOrEqual(canvas.x + canvas.width);

    await page.getByRole('button', { name: 'Fit view' }).click();
    await page.waitForTimeout(300);
    expect(await zoomOf(page)).toBeGreaterThanOrEqual(10 / 12 - 1e-4);
    expect(await smallestCardText(page)).toBeGreaterThanOrEqual(TEN_PX);

    // The overview, asked for by name, still shows the whole chain however small.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Shift+O');
    await page.waitForTimeout(300);
    expect(await zoomOf(page)).toBeLessThan(10 / 12);
    const last = (await page.locator('[data-testid="node-c6"]').boundingBox())!;
    expect(last.x + last.width).toBeLessThanOrEqual(canvas.x + canvas.width);
    await page.keyboard.press('Shift+F');
    await page.waitForTimeout(300);
    expect(await smallestCardText(page)).toBeGreaterThanOrEqual(TEN_PX);

    // Each card has its type's icon.
    expect(await page.locator('[data-testid="node-c2"] svg.node-icon').getAttribute('data-icon')).toBe('filter');
    expect(await page.locator('[data-testid="node-c1"] svg.node-icon').getAttribute('data-icon')).toBe('http');

    // A paste says so in place of the copy's toast, which does not linger.
    await page.locator('[data-testid="node-c1"]').click();
    await page.keyboard.press('Control+C');
    await page.getByRole('status').filter({ hasText: 'Copied 1 node.' }).waitFor();
    await page.keyboard.press('Control+V');
    await page.getByRole('status').filter({ hasText: 'Pasted 1 node.' }).waitFor();
    expect(await page.getByText('Copied 1 node.').count()).toBe(0);
  });

  it('shows a status line on each card and, on hover, the last events a node took in and sent out, live', async () => {
    const { page } = opened;
    const id = await create(app, watched);
    expect((await api(app, `/api/flows/${id}/deploy`, { method: 'POST', body: '{}' })).status).toBe(200);
    await page.goto(`${app.url}/flows/${id}`);
    await page.getByTestId('flow-state').filter({ hasText: 'Running revision 1' }).waitFor();
    for (const device of ['fridge-1', 'fridge-2']) {
      expect((await api(app, '/api/events', { method: 'POST', body: JSON.stringify(reading(device, 4)), headers: CE })).status).toBe(202);
    }

    // The actor's line counts its live keys; every line says when the node last moved.
    await eventually(async () => /2 keys/.test((await page.getByTestId('status-per-device').textContent()) ?? ''), 'the actor’s live keys', 20_000);
    expect(await page.getByTestId('status-conv').textContent()).toMatch(/\/s · (just now|\d+ s ago)/);

    await page.getByTestId('node-conv').hover();
    const view = page.getByTestId('node-traffic');
    await view.getByText('Last events of').waitFor();
    const tookIn = view.getByRole('region', { name: 'Took in' });
    const sentOut = view.getByRole('region', { name: 'Sent out' });
    await eventually(async () => (await tookIn.locator('.traffic-event').count()) === 2, 'two events in');
    expect(await tookIn.locator('.traffic-event').first().textContent()).toContain('"device":"fridge-2"');
    expect(await sentOut.locator('.traffic-event').first().textContent()).toContain('reading.converted');
    expect(await sentOut.locator('.traffic-event').first().textContent()).toContain('"celsius":4');

    // Live: a new reading shows at the top while the pointer stays on the node.
    expect((await api(app, '/api/events', { method: 'POST', body: JSON.stringify(reading('fridge-3', 9.5)), headers: CE })).status).toBe(202);
    await eventually(async () => ((await sentOut.locator('.traffic-event').first().textContent()) ?? '').includes('"celsius":9.5'), 'the newest event out');
    expect(await tookIn.locator('.traffic-event').count()).toBe(3);

    // Off the node, the view goes; a selected node keeps it.
    await page.mouse.move(5, 5);
    await eventually(async () => (await view.count()) === 0, 'the view to go');
    await page.getByTestId('node-per-device').click();
    await page.mouse.move(5, 5);
    await view.getByText('per-device').waitFor();
  });

  it('lines up every cell of a flows-table row, its actions cell too', async () => {
    const { page } = opened;
    await page.goto(app.url);
    await page.locator('.flows-table tbody td.row-actions').first().waitFor();
    const edges = await page.locator('.flows-table tbody tr').first().locator('td').evaluateAll((tds) => tds.map((td) => `${td.getBoundingClientRect().top}/${td.getBoundingClientRect().bottom}`));
    expect(edges).toHaveLength(4);
    expect(new Set(edges).size).toBe(1);
    await page.goBack();
  });

  it('turns the running dot grey with a banner while the server is unreachable, and clears what went stale on recovery', async () => {
    const { page } = opened;
    await page.getByTestId('flow-state').filter({ hasText: 'Running revision 1' }).waitFor();
    await expect(page.getByTestId('state-dot').getAttribute('class')).resolves.toContain('running');

    // The server stops answering: every API call fails as a refused connection would.
    await page.route('**/api/**', (route) => route.abort('connectionrefused'));
    await page.getByTestId('outage-banner').waitFor({ timeout: 10_000 });
    await expect(page.getByTestId('state-dot').getAttribute('class')).resolves.toContain('unreachable');
    expect(await page.getByTestId('flow-state').textContent()).toBe('Server unreachable (last known: running revision 1)');

    // Edits made meanwhile can be neither checked nor saved.
    await page.getByLabel('Flow name').fill('watched, renamed offline');
    const bar = page.locator('footer.status-bar');
    await bar.getByText(/validation unavailable/).waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await bar.getByText(/Could not save/).waitFor();

    // Back: the banner goes, the dot is green again, and the stale messages clear.
    await page.unroute('**/api/**');
    await eventually(async () => (await page.getByTestId('outage-banner').count()) === 0, 'the banner to go', 10_000);
    await eventually(async () => (await page.getByTestId('state-dot').getAttribute('class'))?.includes('running'), 'the running dot');
    await eventually(async () => !/validation unavailable|Could not save/.test((await bar.textContent()) ?? ''), 'the stale messages to clear');
    expect(await page.getByTestId('flow-state').textContent()).toBe('Running revision 1');
    // The edit was kept, and saves now.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await bar.getByText('Saved revision 2.').waitFor();
  });

  it('shows the outage banner on the flows list while the server is unreachable, and clears it on recovery', async () => {
    const { page } = opened;
    await page.goto(app.url);
    const row = page.locator('.flows-table tbody tr').filter({ hasText: 'watched' });
    await row.getByText('running revision 1').waitFor();
    expect(await page.getByTestId('outage-banner').count()).toBe(0);

    // The server stops answering: every API call fails as a refused connection would.
    await page.route('**/api/**', (route) => route.abort('connectionrefused'));
    await page.getByTestId('outage-banner').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('outage-banner').textContent()).toMatch(/^The server cannot be reached since /);
    // The list stays, as last known, its state dots grey.
    await expect(row.locator('.state-dot').getAttribute('class')).resolves.toContain('unreachable');
    expect(await row.textContent()).toContain('running revision 1');

    // Meanwhile the flow is stopped from elsewhere; once the server answers, the banner goes and the list is read again.
    const flows = (await api<{ flows: { id: string; name: string }[] }>(app, '/api/flows')).body.flows;
    const watchedId = flows.find((f) => f.name.startsWith('watched'))!.id;
    expect((await api(app, `/api/flows/${watchedId}/stop`, { method: 'POST', body: '{}' })).status).toBe(200);
    await page.waitForTimeout(500);
    expect(await row.textContent()).toContain('running revision 1');
    await page.unroute('**/api/**');
    await eventually(async () => (await page.getByTestId('outage-banner').count()) === 0, 'the banner to go', 10_000);
    await row.getByText('stopped').waitFor();
    await expect(row.locator('.state-dot').getAttribute('class')).resolves.toContain('stopped');
  });
});
