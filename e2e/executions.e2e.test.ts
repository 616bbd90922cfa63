/**
 * The execution picker end to end, in real Chromium beside the running demo flow: two real ShiViz logs imported
 * through the dialog (the one with lines its regex does not cover lists them, by number, before it opens), each
 * opening alone in causal order; picking one shows only its hosts, picking Live only the live ones; an import is
 * renamed and deleted from the picker. A link to an imported event lands in the execution that holds it, an older
 * import of the same file name included.
 */

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ImportSummary } from '../shared/api/imports.js';
import { api, appInBrowser, describeE2e, eventually, launchBrowser, openPage, startApp, type OpenedPage, type RunningApp } from './support.js';


const BROADCAST_REGEX = '\\[(?<priority>\\w+)\\] \\[(?<date>[^\\]]+)\\] \\[[^\\]]+\\] \\[akka://Broadcast/user/(?<host>\\w+)\\] (?<clock>{.*?}) (?<event>.*)';
const BROADCAST_HOSTS = ['node0', 'node1', 'node2', 'node3'];

const canvas = (page: Page) => page.locator('canvas.timeline-canvas').first();
const lanesOf = async (page: Page) => ((await canvas(page).getAttribute('data-lanes')) ?? '').split('\n').filter((l) => l !== '').sort();
const picker = (page: Page) => page.getByRole('combobox', { name: 'Execution' });
const optionTexts = (page: Page) => picker(page).locator('option').allInnerTexts();

/** Picks the execution whose option holds `text`. */
async function pick(page: Page, text: string): Promise<void> {
  const value = await picker(page)
    .locator('option', { hasText: text })
    .first()
    .getAttribute('value');
  await picker(page).selectOption(value ?? '');
}

async function importLog(page: Page, file: string, regex?: string): Promise<void> {
  await page.getByRole('button', { name: 'Import ShiViz log…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a ShiViz log' });
  await dialog.getByLabel('Log file').setInputFiles(file);
  if (regex) await dialog.getByLabel('Parser regex').fill(regex);
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
}

describeE2e('the execution picker in the browser', () => {
  let app: RunningApp;
  let browser: Browser;
  let opened: OpenedPage;

  beforeAll(async () => {
    app = await startApp({ demo: true });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await opened?.context.close();
    await browser?.close();
    await app?.close();
  });

  it('imports two logs, shows each alone, renames one and deletes it', async () => {
    opened = await openPage(browser, `${app.url}/timeline`);
    const { page } = opened;
    await eventually(async () => (await lanesOf(page)).length > 0, 'the live lanes');

    // A log with lines its regex does not cover: the dialog names them before the import opens.
    await importLog(page, '/work/shared/data/shiviz/reliable-broadcast.log', BROADCAST_REGEX);
    const left = page.getByRole('region', { name: 'Lines not imported' });
    await eventually(async () => (await left.count()) > 0, 'the lines left out');
    expect(await left.innerText()).toMatch(/line 8\b[\s\S]*akka:\/\/Broadcast\/deadLetters/);
    await page.getByRole('button', { name: /Open the import/ }).click();
    await eventually(async () => JSON.stringify(await lanesOf(page)) === JSON.stringify(BROADCAST_HOSTS), 'only the broadcast hosts as lanes');
    expect(await page.getByRole('button', { name: 'Causal order' }).getAttribute('aria-pressed')).toBe('true');

    // A second log opens alone as well, without the first one's hosts.
    await importLog(page, '/work/shared/data/shiviz/chord.log');
    await eventually(async () => (await lanesOf(page)).includes('kv-node-10'), 'the chord hosts', 30_000);
    expect((await lanesOf(page)).some((l) => BROADCAST_HOSTS.includes(l))).toBe(false);
    const options = await optionTexts(page);
    expect(options[0]).toBe('Live');
    expect(options.slice(1)).toEqual([expect.stringMatching(/^chord\.log · 1,235 events · 8 hosts$/), expect.stringMatching(/^reliable-broadcast\.log · \d+ events · 4 hosts$/)]);

    // Picking one shows only its hosts; Live shows none of the imported ones.
    await pick(page, 'reliable-broadcast.log');
    await eventually(async () => JSON.stringify(await lanesOf(page)) === JSON.stringify(BROADCAST_HOSTS), 'the broadcast hosts again');
    await picker(page).selectOption('');
    await eventually(async () => {
      const lanes = await lanesOf(page);
      return lanes.length > 0 && !lanes.some((l) => BROADCAST_HOSTS.includes(l) || l.startsWith('kv-node'));
    }, 'the live lanes alone');

    // Rename the broadcast import.
    await pick(page, 'reliable-broadcast.log');
    await page.getByRole('button', { name: 'Rename…' }).click();
    await page.getByLabel('Import name').fill('broadcast, node1 crashing');
    await page.getByRole('button', { name: 'Save name' }).click();
    await eventually(async () => (await optionTexts(page)).some((t) => t.startsWith('broadcast, node1 crashing · ')), 'the new name in the picker');
    expect(await picker(page).inputValue()).not.toBe('');

    // Delete it: the timeline goes back to Live, and only chord.log is left.
    await page.getByRole('button', { name: 'Delete import…' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await eventually(async () => (await picker(page).inputValue()) === '', 'Live again');
    await eventually(async () => !(await optionTexts(page)).some((t) => t.startsWith('broadcast')), 'the import gone from the picker');
    const left2 = (await api<{ imports: ImportSummary[] }>(app, '/api/imports')).body.imports;
    expect(left2.map((i) => i.name)).toEqual(['chord.log']);
    expect(opened.errors.filter((e) => !/favicon|404/.test(e))).toEqual([]);
  });
});

describeE2e('links to an imported event', () => {
  const suite = appInBrowser();
  const CHAT = 'alice {"alice":1}\nsent hello\nbob {"alice":1, "bob":1}\ngot hello\n';
  const LONGER = `${CHAT}bob {"alice":1, "bob":2}\nworked\nbob {"alice":1, "bob":3}\nworked again\n`;

  const importing = async (text: string) => {
    const r = await api<{ import: ImportSummary; processes: string[] }>(suite.app, '/api/imports/shiviz?name=runs.log', { method: 'POST', body: text, headers: { 'content-type': 'text/plain' } });
    expect(r.status).toBe(201);
    return r.body;
  };

  it('opens the execution that holds the linked event, an older import of the same name too', async () => {
    // Two runs of one system imported under one name; only the older, longer run has bob's third event.
    const older = await importing(LONGER);
    const newer = await importing(CHAT);
    const bob = older.processes.find((p) => p.includes('bob'))!;
    const onlyOlder = `shiviz://runs.log#${bob}:3`;

    // Linked by id alone, from the live timeline: it opens the older import, with the event selected and in view.
    const { page, errors } = await suite.open(`${suite.app.url}/timeline?event=${encodeURIComponent(onlyOlder)}`);
    const counts = page.getByTestId('causal-counts');
    await eventually(async () => (await picker(page).inputValue()) === older.import.executions[0]!.id, 'the older import picked');
    await eventually(async () => (await counts.getAttribute('data-event')) === onlyOlder && (await counts.getAttribute('data-past')) === '3', 'the linked event in the inspector, its past within its run');
    await eventually(async () => (await canvas(page).getAttribute('data-selected-in-view')) === 'true', 'the linked event selected and in view');
    expect(new URL(page.url()).searchParams.get('execution')).toBe(older.import.executions[0]!.id);

    // An id both runs hold, with its execution named, lands in that execution, not the newest.
    const shared = `shiviz://runs.log#${bob}:1`;
    await page.goto(`${suite.app.url}/timeline?execution=${older.import.executions[0]!.id}&event=${encodeURIComponent(shared)}`);
    await eventually(async () => (await counts.getAttribute('data-event')) === shared && (await counts.getAttribute('data-future')) === '2', 'the shared id within the older run');
    expect(await picker(page).inputValue()).toBe(older.import.executions[0]!.id);
    expect(newer.import.id).not.toBe(older.import.id);
    expect(errors.filter((e) => !/favicon|404/.test(e))).toEqual([]);
  });
});
