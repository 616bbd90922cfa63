/**
 * Code fields in real Chromium: a JSONata and a JavaScript error underlined where they are, worded the same in the
 * field and in Problems; completion of a `data.` field from an event that went through the running flow; Ctrl+S
 * from inside a field; and JSON that does not parse counted as an invalid, unsaved change that blocks saving.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Flow } from '../shared/flow.js';
import { api, describeE2e, eventually, launchBrowser, openPage, startApp, type OpenedPage, type RunningApp } from './support.js';

const node = (id: string, type: string, name: string, config: Record<string, unknown>, x: number, y = 40) => ({ id, type, name, process: 'main', position: { x, y }, config });
const edge = (id: string, source: string, target: string) => ({ id, source, sourcePort: 'out', target, targetPort: 'in' });

const FLOW = {
  name: 'Code fields',
  description: '',
  nodes: [
    node('src', 'http', 'readings in', { types: ['reading.*'] }, 0),
    node('f', 'filter', 'warm', { expression: 'data.temperature > -100' }, 220),
    node('fn', 'function', 'label', { code: "return {type: 'reading.labelled', data: event.data};" }, 440),
    node('a', 'actor', 'counter', { key: 'source', reducer: 'return {state, emit: []};', initialState: {} }, 660),
    node('dbg', 'debug', 'watch', {}, 440, 240),
  ],
  edges: [edge('e1', 'src', 'f'), edge('e2', 'f', 'fn'), edge('e3', 'fn', 'a'), edge('e4', 'f', 'dbg')],
};

const nodeCard = (page: Page, id: string) => page.locator(`[data-testid="node-${id}"]`);
const panel = (page: Page) => page.getByRole('complementary', { name: 'Node settings' });

/** Replaces the text of a code field (CodeMirror, loaded on first use) as a user would: select all, type. */
async function setCode(page: Page, label: RegExp, lines: string[]) {
  await panel(page).locator('.cm-content').first().waitFor();
  await panel(page).getByLabel(label).click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  for (const [i, line] of lines.entries()) {
    if (i > 0) await page.keyboard.press('Enter');
    await page.keyboard.insertText(line);
  }
}

/** The message beside a node's problem in the Problems list. */
async function problemOf(page: Page, name: string): Promise<string> {
  const item = page.locator('.problems li').filter({ hasText: name }).first();
  await item.waitFor();
  return (await item.locator('.problem-message').textContent()) ?? '';
}

describeE2e('code fields in the browser', () => {
  let app: RunningApp;
  let browser: Browser;
  let opened: OpenedPage;
  let flowId: string;

  beforeAll(async () => {
    app = await startApp({ demo: false });
    browser = await launchBrowser();
    const created = await api<Flow>(app, '/api/flows', { method: 'POST', body: JSON.stringify(FLOW) });
    flowId = created.body.id;
    opened = await openPage(browser, `${app.url}/flows/${encodeURIComponent(flowId)}`);
    await nodeCard(opened.page, 'f').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const deselect = async (page: Page) => page.locator('.react-flow__pane').click({ position: { x: 10, y: 300 } });

  it('underlines a JSONata and a JavaScript error where they are, with the message Problems gives', async () => {
    const { page } = opened;
    await nodeCard(page, 'f').click();
    await setCode(page, /Expression/, ['data.temperature > 8)']);
    const jsonataMark = panel(page).locator('.cm-lintRange-error');
    await jsonataMark.waitFor();
    expect(await jsonataMark.textContent()).toBe(')');
    const jsonataMessage = (await panel(page).locator('.code-field .field-error').textContent()) ?? '';
    expect(jsonataMessage).toMatch(/^JSONata syntax error at position 21 \(S0201\): /);

    await nodeCard(page, 'fn').click();
    await setCode(page, /Code/, ['const a = 1;', 'let b = a b;', 'return {type: "x", data: b};']);
    const scriptMark = panel(page).locator('.cm-lintRange-error');
    await scriptMark.waitFor({ timeout: 10_000 });
    // The second `b` of line 2: the server's parser (QuickJS) says where, the field marks it there.
    expect(await scriptMark.textContent()).toBe('b');
    await expect(panel(page).locator('.cm-line').nth(1).locator('.cm-lintRange-error').count()).resolves.toBe(1);
    const scriptMessage = (await panel(page).locator('.code-field .field-error').textContent()) ?? '';
    expect(scriptMessage).toBe("JavaScript syntax error at line 2, column 11: expecting ';'");

    await deselect(page);
    await eventually(async () => (await problemOf(page, 'warm')) === jsonataMessage, 'the JSONata error in Problems, worded as in its field');
    expect(await problemOf(page, 'label')).toBe(scriptMessage);
    // The path is shown once, beside the message.
    const item = await page.locator('.problems li').filter({ hasText: 'label' }).first().textContent();
    expect(item?.match(/config\.code/g)).toHaveLength(1);
    // Problems, the status bar and the node badges count the same errors and warnings.
    const counted = (await page.locator('.problems h2 .muted').textContent()) ?? '';
    expect(counted).toMatch(/^2 errors/);
    // The status bar shows "checking…" while validation runs: wait for it to settle on the count.
    await eventually(async () => ((await page.getByRole('contentinfo', { name: 'Status' }).textContent()) ?? '').includes(counted), 'the same count in the status bar');
    await expect(nodeCard(page, 'f').getByLabel(/^1 error/).count()).resolves.toBe(1);
  });

  it('completes a data field seen in an event that went through the running flow', async () => {
    const { page } = opened;
    await nodeCard(page, 'f').click();
    await setCode(page, /Expression/, ['data.temperature > -100']);
    await nodeCard(page, 'fn').click();
    await setCode(page, /Code/, ["return {type: 'reading.labelled', data: event.data};"]);
    await page.keyboard.press('Control+s');
    await eventually(async () => (await api<Flow>(app, `/api/flows/${flowId}`)).body.revision === 2, 'the fixed flow saved');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByTestId('flow-state').filter({ hasText: /Running revision 2/ }).waitFor({ timeout: 20_000 });
    await eventually(async () => {
      const sent = await api(app, '/api/events', {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json' },
        body: JSON.stringify({ specversion: '1.0', id: `r-${Date.now()}`, source: 'test/sensor-1', type: 'reading.recorded', data: { temperature: 21.5, humidity: 40 } }),
      });
      return sent.status === 202 && (await page.locator('.debug-entry').count()) > 0;
    }, 'an event in the debug panel', 20_000);

    await nodeCard(page, 'f').click();
    await setCode(page, /Expression/, ['data.tem']);
    const options = page.locator('.cm-tooltip-autocomplete li');
    // The field's completions fill in once the node's recent events are read: wait for the one that matches.
    await eventually(async () => {
      const texts = await options.allTextContents();
      return texts.length === 1 && texts[0]!.includes('temperature');
    }, 'temperature offered as the only completion');
    // Taken by choosing it in the list (the list may be replaced as it settles, so it is chosen again until taken).
    await eventually(async () => {
      const text = await panel(page).getByLabel(/Expression/).textContent();
      if (text === 'data.temperature') return true;
      const offered = options.filter({ hasText: 'temperature' }).first();
      if ((await offered.count()) > 0) await offered.click({ timeout: 2_000 }).catch(() => undefined);
      else {
        // The list closed (the field lost focus): back into the field, at its end, and ask for it again.
        await panel(page).getByLabel(/Expression/).click();
        await page.keyboard.press('End');
        await page.keyboard.press('Control+Space');
      }
      return false;
    }, 'the completion taken into the field');

    // JSONata's functions after `$`.
    await page.keyboard.insertText(' > $su');
    await options.first().waitFor();
    expect((await options.allTextContents()).some((o) => o.startsWith('$sum'))).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('saves with Ctrl+S from inside a code field', async () => {
    const { page } = opened;
    const before = (await api<Flow>(app, `/api/flows/${flowId}`)).body.revision;
    await nodeCard(page, 'fn').click();
    await setCode(page, /Code/, ["return {type: 'reading.saved', data: event.data};"]);
    await page.keyboard.press('Control+s');
    const saved = await eventually(async () => {
      const flow = (await api<Flow>(app, `/api/flows/${flowId}`)).body;
      return flow.revision === before + 1 ? flow : null;
    }, 'a revision saved from inside the field');
    expect(saved.nodes.find((n) => n.id === 'fn')?.config.code).toBe("return {type: 'reading.saved', data: event.data};");
  });

  it('counts JSON that does not parse as an invalid, unsaved change and refuses to save it, saying why', async () => {
    const { page } = opened;
    const before = (await api<Flow>(app, `/api/flows/${flowId}`)).body.revision;
    await nodeCard(page, 'a').click();
    const state = panel(page).getByLabel('Initial state (JSON)');
    await state.fill('{"count": ');
    const save = page.getByRole('button', { name: 'Save', exact: true });
    await eventually(async () => save.isDisabled(), 'Save disabled');
    const bar = page.getByRole('banner', { name: 'Flow toolbar' });
    await eventually(async () => /unsaved changes · cannot save: counter config\.initialState: Not valid JSON: /.test((await bar.textContent()) ?? ''), 'the reason in the status bar');
    await expect(save.getAttribute('title')).resolves.toMatch(/^Cannot save: counter config\.initialState: Not valid JSON/);

    // Ctrl+S from the field says why too, and saves nothing.
    await state.press('Control+s');
    await page.getByRole('status').filter({ hasText: /Not saved: counter config\.initialState: Not valid JSON/ }).waitFor();
    expect((await api<Flow>(app, `/api/flows/${flowId}`)).body.revision).toBe(before);

    // Elsewhere it is an error like any other: in Problems, on the node, in the status bar.
    await deselect(page);
    expect(await problemOf(page, 'counter')).toMatch(/^Not valid JSON: /);
    await expect(nodeCard(page, 'a').getByLabel(/^1 error/).count()).resolves.toBe(1);
    await eventually(async () => /1 error/.test((await page.getByRole('contentinfo', { name: 'Status' }).textContent()) ?? ''), 'the error counted in the status bar');

    // Back on the node the text typed is still there; fixed, it saves.
    await nodeCard(page, 'a').click();
    await expect(state.inputValue()).resolves.toBe('{"count": ');
    await state.fill('{"count": 0}');
    await eventually(async () => !(await save.isDisabled()), 'Save enabled again');
    await save.click();
    const saved = await eventually(async () => {
      const flow = (await api<Flow>(app, `/api/flows/${flowId}`)).body;
      return flow.revision === before + 1 ? flow : null;
    }, 'the fixed state saved');
    expect(saved.nodes.find((n) => n.id === 'a')?.config.initialState).toEqual({ count: 0 });
    expect(opened.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
