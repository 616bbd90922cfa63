/**
 * Subflows in real Chromium: a node of one flow made into a subflow, the subflow placed from the palette into a
 * second flow and wired there, both flows deployed and running it; then the subflow opened in place from its instance,
 * edited and saved as revision 2 — and both running flows derive by the new revision, with no redeploy of their own.
 * A subflow edited in place gives back its parent flow exactly as it was left (unsaved edits, undo history, selection,
 * view); an instance's card counts the events sent through it, at its ports.
 */
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { StoredEvent } from '../shared/event.js';
import type { Flow } from '../shared/flow.js';
import { api, appInBrowser, describeE2e, eventually, type OpenedPage } from './support.js';

const first = {
  name: 'Cold room',
  nodes: [
    { id: 'in', type: 'http', name: 'Readings', position: { x: 0, y: 0 }, config: { types: ['reading.*'] } },
    { id: 't', type: 'transform', name: 'Tag', position: { x: 240, y: 0 }, config: { expression: "{'v': data.t}", type: 'reading.tagged' } },
    { id: 'd', type: 'debug', name: 'Watch', position: { x: 480, y: 0 }, config: {} },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 't' },
    { id: 'e2', source: 't', target: 'd' },
  ],
};
const second = {
  name: 'Freezer',
  nodes: [
    { id: 'in', type: 'http', name: 'Readings', position: { x: 0, y: 0 }, config: { types: ['reading.*'] } },
    { id: 'd', type: 'debug', name: 'Watch', position: { x: 240, y: 160 }, config: {} },
  ],
  edges: [],
};

const centre = async (locator: Locator) => {
  const box = (await locator.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
};
async function dragMouse(page: Page, from: Locator, to: Locator) {
  const a = await centre(from);
  const b = await centre(to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}
const output = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"] .react-flow__handle.source`).first();
const input = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"] .react-flow__handle.target`).first();

describeE2e('subflows', () => {
  const suite = appInBrowser();
  let opened: OpenedPage | undefined;

  let readings = 0;
  const publish = async () => {
    const reading = { specversion: '1.0', id: `sub-${++readings}`, source: 'e2e', type: 'reading.recorded', data: { t: readings } };
    expect((await api(suite.app, '/api/events', { method: 'POST', body: JSON.stringify(reading), headers: { 'content-type': 'application/cloudevents+json' } })).status).toBe(202);
  };
  /** The tagged events derived from reading number `n`, by flow. */
  const taggedFrom = async (n: number) => {
    const page = await api<{ events: StoredEvent[] }>(suite.app, '/api/events?type=reading.tagged&limit=100');
    return page.body.events.filter((e) => (e.data as { v?: number }).v === n);
  };

  it('makes a subflow, uses it in two flows, and a new subflow revision reaches both', async () => {
    const a = (await api<Flow>(suite.app, '/api/flows', { method: 'POST', body: JSON.stringify(first) })).body;
    const b = (await api<Flow>(suite.app, '/api/flows', { method: 'POST', body: JSON.stringify(second) })).body;

    // In the first flow: select the transform, make it a subflow, save and deploy.
    opened = await suite.open(`${suite.app.url}/flows/${a.id}`);
    const { page } = opened;
    await page.locator('[data-testid="node-t"]').click();
    await page.getByRole('button', { name: 'Make subflow' }).click();
    await page.getByText(/^Made Subflow: Tag \(sf-/).waitFor();
    await page.locator('.react-flow__node[data-id="n1"]').waitFor();
    expect(await page.locator('.react-flow__node[data-id="t"]').count()).toBe(0);
    expect(await page.locator('.react-flow__edge').count()).toBe(2);
    await page.getByRole('button', { name: 'Deploy' }).click();
    await eventually(async () => (await page.getByTestId('flow-state').textContent())?.startsWith('Running revision 2'), 'the first flow running its revision 2');
    const saved = (await api<Flow>(suite.app, `/api/flows/${a.id}`)).body;
    const subflowId = saved.nodes.find((n) => n.type === 'subflow')!.config.subflow as string;
    expect(subflowId).toMatch(/^sf-/);

    // In the second flow: place the subflow from the palette, wire it in, deploy.
    await page.goto(`${suite.app.url}/flows/${b.id}`);
    await page.getByRole('button', { name: 'Add subflow Subflow: Tag' }).click();
    await page.locator('.react-flow__node[data-id="n1"]').waitFor();
    await page.keyboard.press('Shift+F');
    await page.waitForTimeout(400);
    await dragMouse(page, output(page, 'in'), input(page, 'n1'));
    await dragMouse(page, output(page, 'n1'), input(page, 'd'));
    await eventually(async () => (await page.locator('.react-flow__edge').count()) === 2, 'two wires in the second flow');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await eventually(async () => (await page.getByTestId('flow-state').textContent())?.startsWith('Running revision 2'), 'the second flow running its revision 2');

    // One reading runs through both instances, under the instance's namespaced ids.
    await publish();
    const before = await eventually(async () => {
      const events = await taggedFrom(1);
      return events.length === 2 ? events : null;
    }, 'the reading tagged by both flows');
    expect(before.map((e) => [e.flowId, e.nodeId]).sort()).toEqual([[a.id, 'n1.t'], [b.id, 'n1.t']].sort());
    expect(before.every((e) => (e.data as { rev?: number }).rev === undefined)).toBe(true);

    // Open the subflow in place from its instance (a double-click), change it, save revision 2.
    await page.locator('[data-testid="node-n1"]').click();
    await page.getByRole('region', { name: 'Subflow' }).getByText('its latest revision: 1').waitFor();
    await page.locator('[data-testid="node-n1"]').dblclick();
    await page.locator('.react-flow__node[data-id="t"]').waitFor();
    expect(await page.getByRole('navigation', { name: 'Subflow trail' }).locator('ol').textContent()).toBe('FreezerSubflow: Tag');
    expect(new URL(page.url()).pathname).toBe(`/flows/${b.id}`);
    await page.locator('[data-testid="node-t"]').click();
    await page.getByLabel(/Expression/).fill("{'v': data.t, 'rev': 2}");
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved revision 2.').waitFor();

    // Both running flows now derive by revision 2, still at their own revisions.
    await publish();
    const after = await eventually(async () => {
      const events = await taggedFrom(2);
      return events.length === 2 ? events : null;
    }, 'the next reading tagged by both flows');
    expect(after.map((e) => [e.flowId, (e.data as { rev?: number }).rev]).sort()).toEqual([[a.id, 2], [b.id, 2]].sort());
    for (const id of [a.id, b.id]) expect((await api<{ revision: number }>(suite.app, `/api/flows/${id}/status`)).body.revision).toBe(2);

    // Back in the flow (by the trail), the instance says which revision it runs now.
    await page.getByRole('button', { name: 'Back to Freezer' }).click();
    await page.locator('[data-testid="node-n1"]').click();
    await page.getByRole('region', { name: 'Subflow' }).getByText('its latest revision: 2').waitFor();
  });

  /** sf-warm: in → a filter keeping readings above 2 → out. */
  const warm = {
    id: 'sf-warm',
    name: 'Warm only',
    nodes: [
      { id: 'in', type: 'subflow-in', name: '', position: { x: 0, y: 0 }, config: {} },
      { id: 'f', type: 'filter', name: 'Above 2', position: { x: 240, y: 0 }, config: { expression: 'data.t > 2' } },
      { id: 'out', type: 'subflow-out', name: '', position: { x: 480, y: 0 }, config: { port: 'out' } },
    ],
    edges: [
      { id: 'w1', source: 'in', target: 'f' },
      { id: 'w2', source: 'f', target: 'out' },
    ],
  };
  /** src (dairy.* events) → an instance of sf-warm → a debug node. */
  const dairy = (name: string, type: string) => ({
    name,
    nodes: [
      { id: 'src', type: 'http', name: 'Readings', position: { x: 0, y: 0 }, config: { types: [type] } },
      { id: 'n1', type: 'subflow', name: 'Warm only', position: { x: 240, y: 0 }, config: { subflow: 'sf-warm', outputs: ['out'] } },
      { id: 'd', type: 'debug', name: 'Watch', position: { x: 480, y: 0 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'src', target: 'n1' },
      { id: 'e2', source: 'n1', target: 'd' },
    ],
  });
  const viewportOf = (page: Page) => page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);

  it('edits a subflow in place and comes back to the parent flow exactly as it was left', async () => {
    expect((await api(suite.app, '/api/flows', { method: 'POST', body: JSON.stringify(warm) })).status).toBe(201);
    const parent = (await api<Flow>(suite.app, '/api/flows', { method: 'POST', body: JSON.stringify(dairy('Dairy', 'dairy.*')) })).body;
    expect((await api(suite.app, `/api/flows/${parent.id}/deploy`, { method: 'POST', body: '{}' })).status).toBe(200);

    opened ??= await suite.open(suite.app.url);
    const { page } = opened;
    await page.goto(`${suite.app.url}/flows/${parent.id}`);
    await page.getByTestId('flow-state').filter({ hasText: 'Running revision 1' }).waitFor();

    // The parent, as left: renamed (unsaved), the view panned, the instance selected.
    await page.getByLabel('Flow name').fill('Dairy, edited');
    const pane = (await page.locator('.react-flow__pane').boundingBox())!;
    await page.mouse.move(pane.x + pane.width / 2, pane.y + 15);
    await page.mouse.down();
    await page.mouse.move(pane.x + pane.width / 2 + 70, pane.y + 75, { steps: 5 });
    await page.mouse.up();
    await page.locator('[data-testid="node-n1"]').click();
    const view = await viewportOf(page);
    const bar = page.locator('header.editor-bar');
    await bar.getByText('revision 1 · unsaved changes').waitFor();

    // In place: the subflow with its ports, under a trail back to the parent.
    await page.getByRole('region', { name: 'Subflow' }).getByRole('button', { name: 'Edit subflow' }).click();
    const trail = page.getByRole('navigation', { name: 'Subflow trail' });
    await trail.waitFor();
    expect(await trail.locator('ol').textContent()).toBe('Dairy, editedWarm only');
    expect(await page.getByLabel('Flow name').inputValue()).toBe('Warm only');
    expect(await page.getByTestId('node-in').textContent()).toContain('Subflow in');
    expect(await page.getByTestId('node-out').textContent()).toContain('Subflow out');
    expect(await page.locator('[data-testid="node-n1"]').count()).toBe(0);

    // Edited and saved as a new revision of the subflow; the parent is not saved.
    await page.getByTestId('node-f').click();
    await page.getByLabel(/Expression/).fill('data.t > 3');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved revision 2.').waitFor();
    expect((await api<Flow>(suite.app, '/api/flows/sf-warm')).body.revision).toBe(2);
    expect((await api<Flow>(suite.app, `/api/flows/${parent.id}`)).body).toMatchObject({ name: 'Dairy', revision: 1 });

    // Escape clears the selection, then goes back.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="node-n1"]').waitFor();
    expect(await trail.count()).toBe(0);

    // The parent as it was: its unsaved name, the instance selected, the same view, and its undo history.
    expect(await page.getByLabel('Flow name').inputValue()).toBe('Dairy, edited');
    await bar.getByText('revision 1 · unsaved changes').waitFor();
    expect(await page.locator('.react-flow__node[data-id="n1"]').getAttribute('class')).toContain('selected');
    expect(await viewportOf(page)).toBe(view);
    // The instance is in step with the subflow's new revision.
    await page.getByRole('region', { name: 'Subflow' }).getByText('its latest revision: 2').waitFor();
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await page.getByLabel('Flow name').inputValue()).toBe('Dairy');
  });

  it('counts the events sent through an instance on its card: in at its input, out at its output', async () => {
    const parent = (await api<Flow>(suite.app, '/api/flows', { method: 'POST', body: JSON.stringify(dairy('Creamery', 'cream.*')) })).body;
    expect((await api(suite.app, `/api/flows/${parent.id}/deploy`, { method: 'POST', body: '{}' })).status).toBe(200);
    opened ??= await suite.open(suite.app.url);
    const { page } = opened;
    await page.goto(`${suite.app.url}/flows/${parent.id}`);
    await page.getByTestId('flow-state').filter({ hasText: 'Running revision 1' }).waitFor();

    // Five readings, t = 1…5: the subflow's filter (its latest revision: t > 3) lets two through.
    for (let t = 1; t <= 5; t++) {
      const reading = { specversion: '1.0', id: `cream-${t}`, source: 'e2e', type: 'cream.reading', data: { t } };
      expect((await api(suite.app, '/api/events', { method: 'POST', body: JSON.stringify(reading), headers: { 'content-type': 'application/cloudevents+json' } })).status).toBe(202);
    }
    const counts = page.locator('[data-testid="node-n1"] .flow-node-live');
    await eventually(async () => (await counts.getAttribute('aria-label')) === 'in 5, out 2, errors 0', 'the instance counting 5 in, 2 out', 20_000);
    expect(await counts.textContent()).toBe('in 5out 2err 0');
    expect(await page.getByTestId('node-d').locator('.flow-node-live').getAttribute('aria-label')).toMatch(/^in 2, /);
    // Its status line reads like any card's.
    expect(await page.getByTestId('status-n1').textContent()).toMatch(/\/s · (just now|\d+ s ago)$/);
  });
});
