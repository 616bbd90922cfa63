/**
 * Links that land, in real Chromium: "Open in timeline" in the editor's debug panel opens the timeline with that
 * event selected, in view and in the inspector; the inspector's "Open node in the editor" opens the editor with
 * the node selected, centred and its settings open; a link to an event far from the others in time moves the
 * view to it.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { api, appInBrowser, describeE2e, eventually, type OpenedPage } from './support.js';

const flow = {
  name: 'links',
  nodes: [
    { id: 'in', type: 'http', name: 'Readings', position: { x: 0, y: 0 }, config: { types: ['reading.*'] } },
    { id: 'conv', type: 'transform', name: 'To celsius', position: { x: 1400, y: 900 }, config: { expression: "{'celsius': data.t}", type: 'reading.converted' } },
    { id: 'dbg', type: 'debug', name: 'Watch', position: { x: 2800, y: 0 }, config: {} },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'conv' },
    { id: 'e2', source: 'conv', target: 'dbg' },
  ],
};

const canvas = (page: Page) => page.locator('canvas.timeline-canvas').first();

/** The distance in pixels between a node card's centre and the centre of the editor's canvas. */
async function offCentre(page: Page, nodeId: string): Promise<number> {
  const card = (await page.locator(`.react-flow__node[data-id="${nodeId}"]`).boundingBox())!;
  const pane = (await page.locator('.editor-main .react-flow').first().boundingBox())!;
  return Math.hypot(card.x + card.width / 2 - (pane.x + pane.width / 2), card.y + card.height / 2 - (pane.y + pane.height / 2));
}

describeE2e('links that land on an event or a node', () => {
  const suite = appInBrowser();
  let opened: OpenedPage | undefined;

  it('goes from a debug message to its event on the timeline, and from there to its node in the editor', async () => {
    const created = await api<{ id: string }>(suite.app, '/api/flows', { method: 'POST', body: JSON.stringify(flow) });
    expect(created.status).toBe(201);
    const flowId = created.body.id;
    expect((await api(suite.app, `/api/flows/${flowId}/deploy`, { method: 'POST' })).status).toBe(200);

    opened = await suite.open(`${suite.app.url}/flows/${flowId}`);
    const { page } = opened;
    await page.locator('.react-flow__node[data-id="in"]').waitFor();
    await eventually(async () => (await page.getByTestId('flow-state').textContent())?.startsWith('Running'), 'the flow running in the editor');
    const reading = { specversion: '1.0', id: 'link-1', source: 'e2e', type: 'reading.recorded', data: { t: 21 } };
    expect((await api(suite.app, '/api/events', { method: 'POST', body: JSON.stringify(reading), headers: { 'content-type': 'application/cloudevents+json' } })).status).toBe(202);

    const open = page.getByRole('region', { name: 'Debug messages' }).getByRole('link', { name: 'Open in timeline' }).first();
    await open.waitFor();
    const href = (await open.getAttribute('href')) ?? '';
    const eventId = new URL(href, suite.app.url).searchParams.get('event') ?? '';
    expect(eventId).not.toBe('');
    await open.click();

    // The timeline opens with that event selected, in view, and the inspector showing it.
    await eventually(() => page.url().includes('/timeline?event='), 'the timeline opened');
    const counts = page.getByTestId('causal-counts');
    await eventually(async () => (await counts.getAttribute('data-event')) === eventId, 'the linked event in the inspector');
    await eventually(async () => (await canvas(page).getAttribute('data-selected-in-view')) === 'true', 'the linked event selected and in view on the diagram');
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    expect(await inspector.getByRole('heading', { name: 'reading.converted' }).count()).toBe(1);

    // The event was made by the node "To celsius": its link opens the editor on that node.
    await inspector.getByRole('link', { name: /Open node conv in the editor/ }).click();
    await eventually(() => page.url().endsWith(`/flows/${flowId}?node=conv`), 'the editor opened on the node');
    const card = page.locator('.react-flow__node[data-id="conv"]');
    await eventually(async () => (await card.getAttribute('class'))?.includes('selected'), 'the node selected');
    const settings = page.getByRole('complementary', { name: 'Node settings' });
    await settings.waitFor();
    expect(await settings.getByLabel('Name').inputValue()).toBe('To celsius');
    await eventually(async () => (await offCentre(page, 'conv')) < 40, 'the node centred on the canvas');
    expect(opened.errors).toEqual([]);
  });

  it('opens a link to a node with that node selected and centred, and says so when the flow has no such node', async () => {
    const created = await api<{ id: string }>(suite.app, '/api/flows', { method: 'POST', body: JSON.stringify({ ...flow, name: 'links 2' }) });
    const { page, context } = await suite.open(`${suite.app.url}/flows/${created.body.id}?node=dbg`);
    try {
      await eventually(async () => (await page.locator('.react-flow__node[data-id="dbg"]').getAttribute('class'))?.includes('selected'), 'the linked node selected');
      expect(await page.getByRole('complementary', { name: 'Node settings' }).getByLabel('Name').inputValue()).toBe('Watch');
      await eventually(async () => (await offCentre(page, 'dbg')) < 40, 'the linked node centred');

      await page.goto(`${suite.app.url}/flows/${created.body.id}?node=nowhere`);
      await eventually(async () => /no node “nowhere”/.test((await page.locator('.toast').textContent()) ?? ''), 'the missing node named');
    } finally {
      await context.close();
    }
  });

  it('moves the timeline to an event an hour before all others, selected and in the inspector', async () => {
    const now = Date.now();
    const recent = Array.from({ length: 30 }, (_, i) => ({ specversion: '1.0', id: `recent-${i}`, source: 'e2e', type: 'reading.recent', time: new Date(now - 30_000 + i * 1000).toISOString(), data: { i } }));
    const old = { specversion: '1.0', id: 'long-ago', source: 'e2e', type: 'reading.old', time: new Date(now - 3_600_000).toISOString(), data: { old: true } };
    const published = await api(suite.app, '/api/events', { method: 'POST', body: JSON.stringify([old, ...recent]), headers: { 'content-type': 'application/cloudevents-batch+json' } });
    expect(published.status).toBe(202);
    const stored = await api<{ events: { id: string; type: string }[] }>(suite.app, '/api/events?type=reading.old');
    const oldId = stored.body.events[0]!.id;

    const { page, context } = await suite.open(`${suite.app.url}/timeline?event=${encodeURIComponent(oldId)}`);
    try {
      await eventually(async () => (await page.getByTestId('causal-counts').getAttribute('data-event')) === oldId, 'the linked event in the inspector');
      await eventually(async () => (await canvas(page).getAttribute('data-selected-in-view')) === 'true', 'the view moved to the linked event');
      expect(await page.getByRole('complementary', { name: 'Inspector' }).getByRole('heading', { name: 'reading.old' }).count()).toBe(1);
      // Zoomed to the minute around it: the readings of the last minute are out of view, so the view did move.
      expect(Number(await canvas(page).getAttribute('data-events'))).toBeGreaterThanOrEqual(31);
      // The zoom follows the selection by a frame or two: wait for it.
      await eventually(async () => Number(await canvas(page).getAttribute('data-visible')) === 1, 'only the linked event in view');
    } finally {
      await context.close();
    }
  });
});
