/**
 * The timeline's analyses end to end, in real Chromium against the built app: ShiViz's broadcast motif found in
 * reliable-broadcast.log, picked in the execution picker, its matches ringed on the diagram and stepped through, the
 * view opened again from its link (the execution with the search), a query that cannot be read shown with its
 * position; and two executions of multiple-comparison.log side by side with the hosts and events present in only
 * one highlighted, chosen from the executions grouped by similarity.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LOGS } from '../shared/analysis/testing/shiviz-logs.js';
import type { ImportAnswer } from '../shared/api/imports.js';
import { describeE2e, eventually, launchBrowser, openPage, startApp, type OpenedPage, type RunningApp } from './support.js';

const DATA = '/work/shared/data/shiviz/';

const canvas = (page: Page) => page.locator('canvas.timeline-canvas').first();
const attr = async (page: Page, name: string) => (await canvas(page).getAttribute(name)) ?? '';
const count = (page: Page) => page.getByTestId('search-count');

async function importLog(app: RunningApp, name: keyof typeof LOGS): Promise<ImportAnswer['import']> {
  const { regex, delimiter } = LOGS[name];
  const params = new URLSearchParams({ name, regex, ...(delimiter ? { delimiter } : {}) });
  const res = await fetch(`${app.url}/api/imports/shiviz?${params}`, { method: 'POST', body: readFileSync(DATA + name, 'utf8'), headers: { 'content-type': 'text/plain' } });
  expect(res.status).toBe(201);
  return ((await res.json()) as ImportAnswer).import;
}

describeE2e('the timeline’s analyses in the browser', () => {
  let app: RunningApp;
  let browser: Browser;
  const opened: OpenedPage[] = [];
  let broadcast: string;
  let comparison: ImportAnswer['import'];

  beforeAll(async () => {
    app = await startApp({ demo: false });
    broadcast = (await importLog(app, 'reliable-broadcast.log')).executions[0]!.id;
    comparison = await importLog(app, 'multiple-comparison.log');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const o of opened) await o.context.close();
    await browser?.close();
    await app?.close();
  });

  it('finds the broadcasts of reliable-broadcast.log, rings them, steps through them, and opens them again from the link', async () => {
    const first = await openPage(browser, `${app.url}/timeline`);
    opened.push(first);
    const { page } = first;
    // The live events hold none of the imports: the log is picked among the executions.
    await eventually(async () => (await page.getByLabel('Execution', { exact: true }).locator(`option[value="${broadcast}"]`).count()) === 1, 'the import listed');
    await page.getByLabel('Execution', { exact: true }).selectOption(broadcast);
    await eventually(async () => Number(await attr(page, 'data-events')) > 100, 'the imported events on the diagram');
    await page.getByRole('button', { name: 'Broadcast' }).click();

    await eventually(async () => Number(await count(page).getAttribute('data-count')) > 0, 'broadcasts found');
    const found = Number(await count(page).getAttribute('data-count'));
    const server = (await (await fetch(`${app.url}/api/timeline/search?${new URLSearchParams({ q: 'broadcast', execution: broadcast })}`)).json()) as { matches: number[][] };
    expect(found).toBe(server.matches.length);
    expect(await count(page).innerText()).toBe(`match 1 of ${found}`);
    // Every event of every broadcast is ringed: the sends and their receipts.
    const ringed = new Set(server.matches.flat()).size;
    await eventually(async () => Number(await attr(page, 'data-highlighted')) === ringed, 'the matches ringed on the diagram');
    // The current match is selected: its first event, a send, in the inspector.
    await eventually(async () => (await page.getByRole('complementary', { name: 'Inspector' }).innerText()).includes('Sending SLDeliver'), 'the first match’s send in the inspector');

    await page.getByRole('button', { name: 'Next match' }).click();
    expect(await count(page).innerText()).toBe(`match 2 of ${found}`);
    await page.getByRole('button', { name: 'Previous match' }).click();
    await page.getByRole('button', { name: 'Previous match' }).click();
    expect(await count(page).innerText()).toBe(`match ${found} of ${found}`);
    await page.getByRole('button', { name: 'Next match' }).click();
    await page.getByRole('button', { name: 'Next match' }).click();
    await page.getByRole('button', { name: 'By time' }).click();

    // The address holds the view, the execution picked among it; opened elsewhere, it shows the same one.
    await eventually(() => new URL(page.url()).searchParams.get('match') === '1', 'the current match in the address');
    const link = new URL(page.url());
    expect(Object.fromEntries(link.searchParams)).toMatchObject({ execution: broadcast, q: 'broadcast', match: '1', axis: 'time' });
    const second = await openPage(browser, link.toString());
    opened.push(second);
    await eventually(async () => (await count(second.page).innerText()) === `match 2 of ${found}`, 'the linked match');
    expect(await second.page.getByRole('button', { name: 'By time' }).getAttribute('aria-pressed')).toBe('true');
    expect(await second.page.getByLabel('Execution', { exact: true }).inputValue()).toBe(broadcast);
    await eventually(async () => Number(await attr(second.page, 'data-highlighted')) === ringed, 'the linked matches ringed');

    // A query that cannot be read: its problem and where, and no request.
    await page.getByLabel('Structured search query').fill('text ~ "Sending" -> within x *');
    await page.getByLabel('Structured search query').press('Enter');
    const problem = page.getByRole('alert');
    await eventually(async () => (await problem.count()) > 0, 'the problem shown');
    expect(await problem.getAttribute('data-position')).toBe('27');
    expect(await problem.innerText()).toContain('expected a number (the most hops)');

    // A query over payload text and happened-before: each SLDeliver sent, with the receipt one link away.
    await page.getByLabel('Structured search query').fill('text ~ "Initiating RBBroadcast" -> within 1 text ~ "Sending SLDeliver"');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await eventually(async () => Number(await count(page).getAttribute('data-count')) > 0, 'query matches');
    expect(first.errors).toEqual([]);
  });

  it('compares two executions of multiple-comparison.log side by side, the hosts and events of only one highlighted', async () => {
    const o = await openPage(browser, `${app.url}/timeline/compare`);
    opened.push(o);
    const { page } = o;
    await eventually(async () => (await page.getByLabel('Log').locator(`option[value="${comparison.id}"]`).count()) === 1, 'the imports listed');
    await page.getByLabel('Log').selectOption(comparison.id);
    // Grouped by number of processes: all five have two; by distance 0, the base and its copy together.
    await eventually(async () => (await page.getByTestId('clusters').getAttribute('data-count')) === '1', 'the executions grouped');
    await page.getByLabel('Group by').selectOption('distance');
    await page.getByLabel('Distance threshold').fill('0');
    await eventually(async () => (await page.getByTestId('clusters').getAttribute('data-count')) === '4', 'the executions grouped by distance');

    const option = (label: string) => comparison.executions.find((e) => e.label === label)!.id;
    await page.getByLabel('Execution A').selectOption(option('Base execution'));
    await page.getByLabel('Execution B').selectOption(option('Different host from base'));
    const summary = page.getByTestId('compare-summary');
    await eventually(async () => (await summary.count()) > 0, 'the comparison');
    expect(await summary.getAttribute('data-hosts-only-a')).toBe('mountainView');
    expect(await summary.getAttribute('data-hosts-only-b')).toBe('seattle');
    const sideA = page.locator('figure[data-side="A"]');
    const sideB = page.locator('figure[data-side="B"]');
    expect(await sideA.locator('g.compare-host[data-only]').getAttribute('data-host')).toBe('mountainView');
    expect(await sideB.locator('g.compare-host[data-only]').getAttribute('data-host')).toBe('seattle');
    expect(await sideA.locator('circle').count()).toBe(8);

    await page.getByLabel('Execution B').selectOption(option('Some events are different from base'));
    await eventually(async () => (await summary.getAttribute('data-only-a')) === '4', 'the events only in A');
    expect(await summary.getAttribute('data-only-b')).toBe('4');
    expect(await summary.getAttribute('data-hosts-only-a')).toBe('');
    expect(await sideA.locator('circle[data-only]').count()).toBe(4);
    expect(await sideB.locator('circle[data-only]').count()).toBe(4);
    expect(await sideA.locator('g.compare-host[data-only]').count()).toBe(0);

    // The comparison as a link: opened again, the same two executions.
    const again = await openPage(browser, page.url());
    opened.push(again);
    await eventually(async () => (await again.page.getByTestId('compare-summary').getAttribute('data-only-b')) === '4', 'the linked comparison');
    expect(await again.page.getByLabel('Group by').inputValue()).toBe('distance');
    expect(o.errors).toEqual([]);
  });
});
