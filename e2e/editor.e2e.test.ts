/**
 * The flow designer end to end, in real Chromium against the built app served by the real server: a flow of
 * simulator → filter → actor → debug built with mouse and keyboard only, a compile error found on its node and
 * fixed, deploy with live counts and debug events, undo/redo, a reload that restores the draft, a second
 * revision, its diff and its node settings read-only, roll back, and export and re-import of the flow JSON.
 * Writes the README screenshots when asked (`npm run screenshots`).
 */
import { readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Flow } from '../shared/flow.js';
import { api, describeE2e, eventually, launchBrowser, openPage, readmeScreenshot, startApp, type OpenedPage, type RunningApp } from './support.js';

const centre = async (locator: Locator) => {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
};

/** Presses the mouse on one element and releases it on another, moving in steps as a hand would. */
async function dragMouse(page: Page, from: Locator, to: Locator) {
  const a = await centre(from);
  const b = await centre(to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}

const nodeCard = (page: Page, id: string) => page.locator(`[data-testid="node-${id}"]`);
const output = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"] .react-flow__handle.source`).first();
const input = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"] .react-flow__handle.target`).first();

describeE2e('flow editor in the browser', () => {
  let app: RunningApp;
  let browser: Browser;
  let opened: OpenedPage;

  beforeAll(async () => {
    app = await startApp({ demo: false });
    browser = await launchBrowser();
    opened = await openPage(browser, app.url);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('builds, fixes, deploys, undoes, restores, diffs, rolls back, exports and re-imports a flow', async () => {
    const { page } = opened;

    // An empty list says what to do; a new flow opens in the editor.
    await page.getByText('No flows yet.').waitFor();
    await page.getByLabel('New flow name').fill('Hot readings');
    await page.getByRole('button', { name: 'New flow' }).click();
    await page.getByText('This flow is empty.').waitFor();
    const flowId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() as string);
    await readmeScreenshot(page, 'editor-empty.png');

    // Drag four node types from the palette onto the canvas.
    const pane = page.locator('.react-flow__pane');
    const paneBox = (await pane.boundingBox())!;
    const spots = [
      { type: 'Simulator', x: 30, y: 40 },
      { type: 'Filter', x: 260, y: 40 },
      { type: 'Actor', x: 490, y: 40 },
      { type: 'Debug', x: 260, y: 190 },
    ];
    for (const spot of spots) {
      await page.getByRole('button', { name: `Add ${spot.type}` }).dragTo(pane, { targetPosition: { x: spot.x + 90, y: spot.y + 36 } });
    }
    await eventually(async () => (await page.locator('.react-flow__node').count()) === 4, 'four nodes on the canvas');
    expect(paneBox.width).toBeGreaterThan(500);

    // Wire output ports to input ports; a wire into a source is refused with a reason.
    await dragMouse(page, output(page, 'n1'), input(page, 'n2'));
    await dragMouse(page, output(page, 'n2'), input(page, 'n3'));
    await dragMouse(page, output(page, 'n3'), input(page, 'n4'));
    await eventually(async () => (await page.locator('.react-flow__edge').count()) === 3, 'three wires');

    // Fill the config forms: simulator, filter (with a mistake first), actor.
    await nodeCard(page, 'n1').click();
    await page.getByLabel('Devices').fill('2');
    await page.getByLabel('Interval (ms)').fill('100');
    await nodeCard(page, 'n2').click();
    await page.getByLabel(/Expression/).fill('data.t >');
    await page.getByText(/JSONata syntax error/).waitFor();
    await nodeCard(page, 'n3').click();
    await page.getByLabel(/Reducer/).fill("const count = (state.count || 0) + 1; return {state: {count}, emit: [{type: 'reading.counted', data: {count, t: event.data.t}}]};");

    // The server's validation marks the filter (and only it) as wrong; the problems list selects it.
    await pane.click({ position: { x: paneBox.width - 20, y: 12 } });
    await eventually(async () => (await page.locator('.flow-node.has-problem').count()) === 1, 'one node marked with a problem');
    await expect(page.locator('.flow-node.has-problem').getAttribute('data-node-id')).resolves.toBe('n2');
    await page.locator('.problems').getByRole('button').first().click();
    await page.getByLabel(/Expression/).fill('data.t > -1000');
    await eventually(async () => (await page.locator('.flow-node.has-problem').count()) === 0, 'the problem fixed');

    // Keyboard: undo and redo a deletion.
    await nodeCard(page, 'n4').click();
    await page.keyboard.press('Delete');
    await eventually(async () => (await page.locator('.react-flow__node').count()) === 3, 'the debug node deleted');
    await page.keyboard.press('Control+z');
    await eventually(async () => (await page.locator('.react-flow__node').count()) === 4 && (await page.locator('.react-flow__edge').count()) === 3, 'undo restores node and wire');
    await page.keyboard.press('Control+Shift+z');
    await eventually(async () => (await page.locator('.react-flow__node').count()) === 3, 'redo deletes again');
    await page.keyboard.press('Control+z');
    await eventually(async () => (await page.locator('.react-flow__node').count()) === 4, 'undo once more');

    // A drag of many steps is one edit: one undo puts the node back and leaves the edit grabbed it alone.
    const grabbed = await centre(nodeCard(page, 'n4'));
    await page.mouse.move(grabbed.x, grabbed.y);
    await page.mouse.down();
    await page.mouse.move(grabbed.x + 60, grabbed.y + 40, { steps: 12 });
    await page.mouse.up();
    await eventually(async () => {
      const now = await centre(nodeCard(page, 'n4'));
      return Math.abs(now.x - grabbed.x) > 30 && Math.abs(now.y - grabbed.y) > 20;
    }, 'the node dragged');
    await page.keyboard.press('Control+z');
    await eventually(async () => {
      const now = await centre(nodeCard(page, 'n4'));
      return Math.abs(now.x - grabbed.x) < 2 && Math.abs(now.y - grabbed.y) < 2;
    }, 'one undo puts the dragged node back');
    await expect(page.locator('.react-flow__node').count()).resolves.toBe(4);

    // Deploy: the state says it runs, counts rise, events reach the debug panel.
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByTestId('flow-state').filter({ hasText: /Running revision \d+/ }).waitFor({ timeout: 20_000 });
    const counts = async (id: string) => Number(/in (\d+)/.exec((await nodeCard(page, id).locator('.flow-node-live').textContent()) ?? '')?.[1] ?? 0);
    const first = await eventually(async () => {
      const n = await counts('n3');
      return n > 0 ? n : null;
    }, 'the actor counting events', 20_000);
    await eventually(async () => (await counts('n3')) > first, 'the counts rising', 20_000);
    await page.locator('.debug-entry').first().waitFor({ timeout: 20_000 });
    await expect(page.locator('.debug-entry').first().textContent()).resolves.toContain('reading.counted');
    await pane.click({ position: { x: paneBox.width - 20, y: 12 } });
    await page.keyboard.press('Shift+L');
    await page.waitForTimeout(800);
    await readmeScreenshot(page, 'editor-deployed-live.png');

    // Reload mid-edit: the unsaved draft is offered back.
    await nodeCard(page, 'n1').click();
    await page.getByLabel('Name', { exact: true }).fill('sensors');
    await eventually(() => draftHolds(page, flowId, 'sensors'), 'the edit autosaved as a draft');
    await page.reload();
    await page.getByRole('button', { name: 'Restore draft' }).click();
    await expect(nodeCard(page, 'n1').textContent()).resolves.toContain('sensors');

    // Save a second revision and see the diff with the one before.
    const before = (await api<Flow>(app, `/api/flows/${flowId}`)).body.revision;
    await page.keyboard.press('Control+s');
    await eventually(async () => (await api<Flow>(app, `/api/flows/${flowId}`)).body.revision === before + 1, 'a new revision saved');
    await page.getByRole('button', { name: 'Revisions' }).click();
    await page.getByRole('button', { name: `Revision ${before}` }).click();
    await page.locator('.diff-changed').first().waitFor();
    await expect(page.locator('.diff-list').textContent()).resolves.toMatch(/name.*sensors/s);
    await expect(page.locator('.flow-node.diff-changed').count()).resolves.toBe(1);
    await readmeScreenshot(page, 'editor-diff.png');

    // The older revision itself, read-only: a selected node shows its settings there, every input disabled.
    await page.getByRole('button', { name: 'View', exact: true }).click();
    await nodeCard(page, 'n1').click();
    const oldSettings = page.getByRole('complementary', { name: `Node settings (read-only: revision ${before})` });
    await oldSettings.getByText(`read-only: revision ${before}`).waitFor();
    await expect(oldSettings.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('simulator');
    await expect(oldSettings.getByLabel('Devices').inputValue()).resolves.toBe('2');
    await expect(oldSettings.getByLabel('Interval (ms)').inputValue()).resolves.toBe('100');
    await expect(oldSettings.getByLabel('Devices').isDisabled()).resolves.toBe(true);
    await expect(oldSettings.getByLabel('Name', { exact: true }).isEditable()).resolves.toBe(false);

    // Roll back to that revision: a new revision with the old content.
    await page.getByRole('button', { name: `Roll back to revision ${before}` }).click();
    const rolled = await eventually(async () => {
      const flow = (await api<Flow>(app, `/api/flows/${flowId}`)).body;
      return flow.revision === before + 2 ? flow : null;
    }, 'the roll back saved');
    expect(rolled.nodes.find((n) => n.id === 'n1')?.name).not.toBe('sensors');

    // Export the flow JSON to a file and import it again from the list.
    await page.getByRole('link', { name: 'Flows' }).click();
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export Hot readings to a file' }).click();
    const file = await (await downloaded).path();
    const exported = JSON.parse(readFileSync(file, 'utf8')) as Flow;
    expect(exported.nodes).toHaveLength(4);
    await page.getByLabel('Flow JSON file to import').setInputFiles(file);
    await page.getByText('Imported “Hot readings”.').waitFor();
    const list = await api<{ flows: { id: string; name: string }[] }>(app, '/api/flows');
    const copies = list.body.flows.filter((f) => f.name === 'Hot readings');
    expect(copies).toHaveLength(2);
    const imported = (await api<Flow>(app, `/api/flows/${copies.find((f) => f.id !== flowId)!.id}`)).body;
    expect(imported.nodes.map((n) => [n.id, n.type, n.config])).toEqual(rolled.nodes.map((n) => [n.id, n.type, n.config]));
    expect(imported.edges).toHaveLength(3);

    expect(opened.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});

/** Whether the flow's draft in the page's IndexedDB holds `text` (the autosave has written the edit). */
function draftHolds(page: Page, flowId: string, text: string): Promise<boolean> {
  return page.evaluate(
    ([id, wanted]) =>
      new Promise<boolean>((resolve) => {
        const open = indexedDB.open('causeway');
        open.onerror = () => resolve(false);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('drafts')) return resolve(false);
          const get = db.transaction('drafts').objectStore('drafts').get(id);
          get.onerror = () => resolve(false);
          get.onsuccess = () => resolve(JSON.stringify(get.result ?? null).includes(wanted));
        };
      }),
    [flowId, text] as const,
  );
}
