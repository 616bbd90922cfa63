/**
 * The timeline end to end, in real Chromium against the built app with the demo flow running: lanes and
 * arrows appear, selecting an event lights its causal past and future and fills the inspector with the server's
 * causal counts over the whole store, a type filter
 * dims the rest, a brushed range replays as a dry-run to its diff, and an imported ShiViz log shows its hosts as
 * lanes. Writes the README screenshot of a highlighted causal cone when asked (`npm run screenshots`).
 */
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../server/logger.js';
import { startCauseway, type Causeway } from '../server/start.js';
import { describeE2e, eventually, launchBrowser, openPage, readmeScreenshot, webDist, type OpenedPage } from './support.js';

const canvas = (page: Page) => page.locator('canvas.timeline-canvas').first();
const attr = async (page: Page, name: string) => (await canvas(page).getAttribute(name)) ?? '';

describeE2e('timeline in the browser', () => {
  let app: Causeway;
  let dataDir: string;
  let browser: Browser;
  let opened: OpenedPage;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'causeway-timeline-'));
    app = await startCauseway({
      config: { port: 0, host: '127.0.0.1', store: { url: `sqlite:${join(dataDir, 'db')}` }, webDist },
      env: {},
      demo: true,
      buildWeb: false,
      logger: silentLogger(),
    });
    browser = await launchBrowser();
    // Let the demo's devices report for a while.
    await new Promise((r) => setTimeout(r, 3000));
  });

  afterAll(async () => {
    await opened?.context.close();
    await browser?.close();
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows lanes and arrows, lights a causal cone, filters, replays a range and imports a ShiViz log', async () => {
    opened = await openPage(browser, `${app.url}/timeline`);
    const { page } = opened;
    const missing: string[] = [];
    page.on('response', (r) => r.status() === 404 && missing.push(r.url()));

    await eventually(async () => Number(await attr(page, 'data-events')) > 10 && Number(await attr(page, 'data-edges')) > 0, 'events and arrows on the diagram');
    const lanes = (await attr(page, 'data-lanes')).split('\n');
    expect(lanes.length).toBeGreaterThanOrEqual(2);

    // Select events with the keyboard until one has a causal past or future.
    await canvas(page).focus();
    await eventually(async () => {
      await page.keyboard.press('ArrowRight');
      return Number(await attr(page, 'data-past')) + Number(await attr(page, 'data-future')) > 0;
    }, 'an event with a causal past or future', 30_000);
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await eventually(async () => /past \d+/.test(await page.getByTestId('causal-counts').innerText()), 'the server’s causal counts in the inspector');
    // The counts are the server's over the whole store: the past of an event never changes, its future and the
    // events concurrent with it only grow while the demo runs.
    const counts = page.getByTestId('causal-counts');
    const selectedId = (await counts.getAttribute('data-event')) ?? '';
    const shownCounts = { past: Number(await counts.getAttribute('data-past')), future: Number(await counts.getAttribute('data-future')), concurrent: Number(await counts.getAttribute('data-concurrent')) };
    const server = (await (await fetch(`${app.url}/api/events/${encodeURIComponent(selectedId)}/causality?limit=1`)).json()) as { pastCount: number; futureCount: number; concurrent: number };
    expect(shownCounts.past).toBe(server.pastCount);
    expect(shownCounts.future).toBeLessThanOrEqual(server.futureCount);
    expect(shownCounts.concurrent).toBeLessThanOrEqual(server.concurrent);
    expect(shownCounts.past + shownCounts.future).toBeGreaterThan(0);
    expect(await counts.innerText()).toContain(`past ${server.pastCount}`);
    await eventually(async () => (await inspector.locator('.json-leaf').count()) > 0, 'the payload fetched for the inspector');
    expect(await inspector.getByText('Vector clock').count()).toBe(1);
    expect(await inspector.locator('.clock-table tr').count()).toBeGreaterThan(0);
    // The correlation chain is the server's: the same events as a query by correlation id.
    const chain = page.getByTestId('correlation-chain');
    await eventually(async () => (await chain.count()) > 0, 'the correlation chain read from the server');
    const selected = (await (await fetch(`${app.url}/api/events/${encodeURIComponent(selectedId)}`)).json()) as { correlationId: string };
    const members = (await (await fetch(`${app.url}/api/events?correlationId=${encodeURIComponent(selected.correlationId)}&limit=500`)).json()) as { events: unknown[] };
    expect(Number(await chain.getAttribute('data-size'))).toBeGreaterThanOrEqual(1);
    expect(Number(await chain.getAttribute('data-size'))).toBeLessThanOrEqual(members.events.length);
    await readmeScreenshot(page, 'timeline.png');

    // Filter by type: fewer events match than are shown.
    const type = (await inspector.locator('.inspector-title').innerText()).trim();
    await page.getByLabel('Filter by type').fill(type);
    await eventually(async () => / \d+ match/.test(await page.locator('.timeline-status').innerText()), 'a count of matching events');
    await page.getByLabel('Filter by type').fill('');

    // Search the payloads while the demo's events keep arriving: the server's answer arrives and some match.
    await page.getByLabel('Search payloads').fill('fridge-a-1');
    await eventually(async () => {
      const status = await page.locator('.timeline-status').innerText();
      const match = / (\d+) match/.exec(status);
      return !status.includes('searching payloads') && match !== null && Number(match[1]) > 0;
    }, 'payload matches while live events arrive');
    await page.getByLabel('Search payloads').fill('');

    // Brush a range and replay it as a dry run.
    await page.keyboard.press('Escape');
    const box = (await canvas(page).boundingBox())!;
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + 170, box.y + 60);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 20, box.y + 60, { steps: 8 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await page.getByRole('button', { name: 'Replay range…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Replay' });
    await eventually(async () => (await dialog.getByLabel('Flow').locator('option').count()) > 0, 'the flows in the replay dialog');
    await dialog.getByRole('button', { name: 'Run replay' }).click();
    await page.waitForURL(/\/replays\//);
    await eventually(async () => (await page.getByTestId('diff-summary').count()) > 0, 'the replay diff', 60_000);
    expect(await page.getByTestId('diff-summary').innerText()).toMatch(/identical \d+/);

    // Import a ShiViz log through the file picker: its hosts become lanes.
    await page.goto(`${app.url}/timeline`);
    await eventually(async () => Number(await attr(page, 'data-events')) > 0, 'the diagram again');
    await page.getByRole('button', { name: 'Import ShiViz log…' }).click();
    await page.getByLabel('Log file').setInputFiles('/work/shared/data/shiviz/chord.log');
    await page.getByRole('dialog', { name: 'Import a ShiViz log' }).getByRole('button', { name: 'Import' }).click();
    await eventually(async () => (await attr(page, 'data-lanes')).split('\n').includes('kv-node-10'), 'the imported hosts as lanes', 30_000);
    expect(missing.filter((u) => !u.endsWith('/favicon.ico'))).toEqual([]);
  });
});
