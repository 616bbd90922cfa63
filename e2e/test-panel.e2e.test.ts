/**
 * The editor's Test panel in real Chromium: nodes pasted into a saved empty flow (so the flow as drawn is unsaved),
 * three hand-written events run through it — per-node counts on the cards and in the panel, the function's error on
 * its node with the input it failed on, the webhook's request recorded, not sent — and nothing in the live event log
 * or the saved flow afterwards. A test set is saved and loaded back, and an event picked on the timeline with "Use
 * in test" runs through the flow by its id.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, describeE2e, eventually, launchBrowser, openPage, readmeScreenshot, startApp, type OpenedPage, type RunningApp } from './support.js';

const CODE = "if (event.data.t > 50) throw new Error('too hot: ' + event.data.t);\nreturn { type: 'reading.checked', data: { t: event.data.t } };";

/** A clipboard of four wired nodes: pasted into an empty flow they become n1…n4. */
const clipboard = {
  kind: 'causeway/nodes',
  nodes: [
    { id: 'in', type: 'http', name: 'readings', process: 'main', position: { x: 0, y: 0 }, config: { types: ['reading.*'] } },
    { id: 'warm', type: 'filter', name: 'warm', process: 'main', position: { x: 220, y: 0 }, config: { expression: 'data.t > 8' } },
    { id: 'check', type: 'function', name: 'check', process: 'main', position: { x: 440, y: 0 }, config: { code: CODE } },
    { id: 'hook', type: 'http-request', name: 'hook', process: 'main', position: { x: 660, y: 0 }, config: { url: 'http://127.0.0.1:9/hook', method: 'POST' } },
  ],
  edges: [
    { id: 'e1', source: 'in', sourcePort: 'out', target: 'warm', targetPort: 'in' },
    { id: 'e2', source: 'warm', sourcePort: 'out', target: 'check', targetPort: 'in' },
    { id: 'e3', source: 'check', sourcePort: 'out', target: 'hook', targetPort: 'in' },
  ],
};

const EVENTS = JSON.stringify([
  { id: 'cold', type: 'reading.recorded', data: { t: 3 } },
  { id: 'warm', type: 'reading.recorded', data: { t: 20 } },
  { id: 'hot', type: 'reading.recorded', data: { t: 90 } },
]);

const liveCounts = (page: Page, id: string) => page.locator(`[data-testid="node-${id}"] .flow-node-live`).getAttribute('aria-label');
const row = (page: Page, id: string) => page.getByTestId(`test-node-${id}`);

describeE2e('the Test panel of the flow editor', () => {
  let app: RunningApp;
  let browser: Browser;
  let opened: OpenedPage;
  let flowId: string;

  beforeAll(async () => {
    app = await startApp({ demo: false });
    browser = await launchBrowser();
    opened = await openPage(browser, app.url);
    flowId = (await api<{ id: string }>(app, '/api/flows', { method: 'POST', body: JSON.stringify({ name: 'Tested as drawn' }) })).body.id;
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('runs events through an unsaved flow: per-node inputs, outputs and errors, effects recorded, nothing live', async () => {
    const { page, errors } = opened;
    await page.goto(`${app.url}/flows/${encodeURIComponent(flowId)}`);
    await page.getByText('This flow is empty.').waitFor();
    const text = JSON.stringify(clipboard);
    await page.evaluate((t) => {
      localStorage.setItem('causeway.clipboard', t);
      return navigator.clipboard?.writeText(t).catch(() => undefined);
    }, text);
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+v');
    await eventually(async () => (await page.locator('.react-flow__node').count()) === 4, 'four nodes pasted');
    await page.getByText('unsaved changes').waitFor();

    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.getByLabel('Input 1 event JSON').fill(EVENTS);
    await page.getByRole('button', { name: 'Run test' }).click();
    await page.getByTestId('test-summary').filter({ hasText: '3 events' }).waitFor({ timeout: 20_000 });

    // The panel's counts per node, and the same counts on the cards.
    await expect(row(page, 'n1').textContent()).resolves.toBe('readings330');
    await expect(row(page, 'n2').textContent()).resolves.toBe('warm320');
    await expect(row(page, 'n3').textContent()).resolves.toBe('check211');
    await expect(row(page, 'n4').textContent()).resolves.toBe('hook100');
    await expect(liveCounts(page, 'n3')).resolves.toBe('in 2, out 1, errors 1');
    await expect(liveCounts(page, 'n2')).resolves.toBe('in 3, out 2, errors 0');

    // The function's details: what it received, what it emitted, and the error on the input it failed on.
    await row(page, 'n3').getByRole('button').click();
    const details = page.getByTestId('test-details-n3');
    await expect(details.getByRole('region', { name: 'check received' }).textContent()).resolves.toMatch(/warm.*hot/s);
    await expect(details.getByRole('region', { name: 'check emitted' }).textContent()).resolves.toContain('reading.checked');
    const failed = await details.getByRole('region', { name: 'check errors' }).textContent();
    expect(failed).toContain('hot');
    expect(failed).toContain('too hot: 90');
    // The filter passed on the warm and hot readings, not the cold one.
    await row(page, 'n2').getByRole('button').click();
    const passed = await page.getByTestId('test-details-n2').getByRole('region', { name: 'warm emitted' }).textContent();
    expect(passed).toContain('warm');
    expect(passed).not.toContain('cold');

    await row(page, 'n3').getByRole('button').click();
    await readmeScreenshot(page, 'editor-test-panel.png');

    // The webhook's request is recorded, not sent; nothing reached the live log, and the flow is still unsaved.
    const effects = await page.getByLabel('Recorded effects').textContent();
    expect(effects).toContain('Effects, recorded not sent (1)');
    expect(effects).toContain('POST http://127.0.0.1:9/hook');
    expect((await api<{ events: unknown[] }>(app, '/api/events?limit=100')).body.events).toEqual([]);
    expect((await api<{ revision: number; nodes: unknown[] }>(app, `/api/flows/${encodeURIComponent(flowId)}`)).body).toMatchObject({ revision: 1, nodes: [] });

    // A saved test set comes back by its name.
    await page.getByLabel('Test set name').fill('warm and hot');
    await page.getByRole('button', { name: 'Save set' }).click();
    await page.getByLabel('Input 1 event JSON').fill('{"type": "other"}');
    await page.getByLabel('Saved test sets').selectOption('warm and hot');
    await expect(page.getByLabel('Input 1 event JSON').inputValue()).resolves.toBe(EVENTS);
    expect(errors).toEqual([]);
  });

  it('runs an event picked on the timeline with "Use in test", by its id', async () => {
    const { page } = opened;
    const published = await api<{ events: { id: string }[] }>(app, '/api/events', {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({ specversion: '1.0', id: 'picked-1', source: 'e2e://fridge', type: 'reading.recorded', data: { t: 30 } }),
    });
    expect(published.status).toBe(202);
    await page.goto(`${app.url}/timeline`);
    // The only event in the log: the first the keyboard selects.
    const diagram = page.locator('canvas.timeline-canvas').first();
    await eventually(async () => Number(await diagram.getAttribute('data-events')) === 1, 'the published event on the diagram');
    await diagram.focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('complementary', { name: 'Inspector' }).getByText('picked-1').first().waitFor();
    await page.getByRole('button', { name: 'Use in test' }).click();
    await page.getByRole('button', { name: 'Kept for a test' }).waitFor();

    await page.goto(`${app.url}/flows/${encodeURIComponent(flowId)}`);
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    // The flow as saved is empty: paste the nodes again, unsaved.
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+v');
    await eventually(async () => (await page.locator('.react-flow__node').count()) === 4, 'four nodes pasted');
    await page.getByRole('button', { name: 'Remove input 1' }).click();
    await page.getByRole('button', { name: /Add 1 event picked on the timeline/ }).click();
    await expect(page.getByLabel('Input 1 event ids').inputValue()).resolves.toBe('picked-1');
    await page.getByRole('button', { name: 'Run test' }).click();
    await page.getByTestId('test-summary').filter({ hasText: '1 event' }).waitFor({ timeout: 20_000 });
    await expect(row(page, 'n3').textContent()).resolves.toBe('check110');
    await row(page, 'n3').getByRole('button').click();
    await expect(page.getByTestId('test-details-n3').getByRole('region', { name: 'check received' }).textContent()).resolves.toContain('picked-1');
    // Only the published event is in the log: the test added nothing.
    expect((await api<{ events: { id: string }[] }>(app, '/api/events?limit=100')).body.events.map((e) => e.id)).toEqual(['picked-1']);
  });
});
