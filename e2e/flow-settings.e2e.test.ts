/**
 * The flow's settings in real Chromium: with no node selected, the editor shows the flow's partition key, a JSONata
 * field whose syntax error is marked as it is typed and listed in Problems with the same words; the compiler warns
 * on an actor keyed otherwise; the key is saved as part of the revision and is there again after a reload.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { Flow } from '../shared/flow.js';
import { api, appInBrowser, describeE2e, eventually } from './support.js';

const flow = {
  name: 'Sites',
  nodes: [
    { id: 'in', type: 'http', name: 'Readings', position: { x: 0, y: 0 }, config: { types: ['reading.*'] } },
    { id: 'count', type: 'actor', name: 'Per device', position: { x: 260, y: 0 }, config: { key: 'source', reducer: 'return {state, emit: []};' } },
  ],
  edges: [{ id: 'e1', source: 'in', target: 'count' }],
};

const settings = (page: Page) => page.getByRole('region', { name: 'Flow settings' });

/** Replaces the partition key's text as a user would: select all, type. */
async function typeKey(page: Page, text: string) {
  await settings(page).locator('.cm-content').waitFor();
  await settings(page).getByLabel(/Partition key/).click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

const problems = async (page: Page) => (await page.locator('.problems li').allTextContents()).join('\n');

describeE2e('the flow’s settings in the editor', () => {
  const suite = appInBrowser({ demo: false });

  it('sets the partition key, shows its errors like a field’s, saves it and shows it again after a reload', async () => {
    const created = await api<Flow>(suite.app, '/api/flows', { method: 'POST', body: JSON.stringify(flow) });
    expect(created.status).toBe(201);
    const flowId = created.body.id;
    const { page } = await suite.open(`${suite.app.url}/flows/${flowId}`);
    await page.locator('.react-flow__node[data-id="count"]').waitFor();

    await typeKey(page, 'data.site )');
    const fieldError = settings(page).locator('.field-error');
    await fieldError.waitFor();
    const message = (await fieldError.textContent()) ?? '';
    expect(message).toMatch(/^JSONata syntax error at position \d+ \(S\d+\): /);
    await settings(page).locator('.cm-lintRange-error').waitFor();
    await eventually(async () => (await problems(page)).includes(`partitionKey: ${message}`), 'the same error in Problems, on the flow');

    await typeKey(page, 'data.site');
    await eventually(async () => (await fieldError.count()) === 0, 'the field error cleared');
    await eventually(async () => (await problems(page)).includes('Per device config.key: actor "count" keys by "source", not by the flow\'s partitionKey "data.site"'), 'the warning on the actor');
    expect(await problems(page)).not.toContain('JSONata syntax error');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const saved = await eventually(async () => {
      const latest = (await api<Flow>(suite.app, `/api/flows/${flowId}`)).body;
      return latest.revision === 2 ? latest : null;
    }, 'revision 2 saved');
    expect(saved.partitionKey).toBe('data.site');

    await page.reload();
    await page.locator('.react-flow__node[data-id="count"]').waitFor();
    await settings(page).locator('.cm-content').waitFor();
    expect(await settings(page).locator('.cm-content').textContent()).toBe('data.site');
    expect(await page.getByText('unsaved changes').count()).toBe(0);
  });
});
