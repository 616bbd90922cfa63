/**
 * The timeline zoomed out and moved around, in real Chromium against the built app holding 6,000 events of 30
 * hosts that message each other: crowded lanes draw their density (counts on hover) with bundled arrows, the
 * overview counts the whole store, Fit all and Fit selection set the view, the wheel scrolls the lanes under a
 * pinned axis while Ctrl+wheel zooms, labels show whole on hover, and a paused timeline is not shown as live. The
 * lane labels are resized by their edge (kept for the next visit) and lanes reordered by dragging their labels; a
 * selected event shows zoomed out (its column marked, its past and future coloured); the overview's brush works in
 * causal order too.
 */

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serialize } from '../shared/clock.js';
import { api, appInBrowser, describeE2e, eventually, launchBrowser, openPage, startApp, type OpenedPage, type RunningApp } from './support.js';


const HOSTS = 30;
const EVENTS = 6_000;
const host = (k: number) => `${40000 + k}.worker-thread-pool-${String(k).padStart(2, '0')}`;

/** Each event on a host in turn; every fourth receives the latest event of the host before it. */
function history(): Record<string, unknown>[] {
  const clocks: Record<string, number>[] = Array.from({ length: HOSTS }, () => ({}));
  const last: (string | null)[] = new Array(HOSTS).fill(null);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const p = (i * 7) % HOSTS;
    const q = (p + HOSTS - 1) % HOSTS;
    const sent = i % 4 === 3 ? last[q] : null;
    const clock = { ...clocks[p]! };
    if (sent) for (const [k, c] of Object.entries(clocks[q]!)) clock[k] = Math.max(clock[k] ?? 0, c);
    clock[host(p)] = (clock[host(p)] ?? 0) + 1;
    clocks[p] = clock;
    const id = `z-${i}`;
    last[p] = id;
    out.push({
      specversion: '1.0', id, source: `test://${host(p)}`, type: sent ? 'message.received' : 'work.done',
      time: new Date(Date.UTC(2026, 2, 1, 10) + i * 50).toISOString(), data: { i }, process: host(p),
      vectorclock: serialize(clock), ...(sent ? { causationid: sent } : {}),
    });
  }
  return out;
}

const canvas = (page: Page) => page.locator('canvas.timeline-canvas');
const attr = async (page: Page, name: string) => (await canvas(page).getAttribute(name)) ?? '';
const visible = async (page: Page) => Number(await attr(page, 'data-visible'));

describeE2e('the timeline at any zoom', () => {
  let app: RunningApp;
  let browser: Browser;
  let opened: OpenedPage;

  beforeAll(async () => {
    app = await startApp();
    const events = history();
    for (let at = 0; at < events.length; at += 1000) {
      const sent = await api(app, '/api/events', { method: 'POST', headers: { 'content-type': 'application/cloudevents-batch+json' }, body: JSON.stringify(events.slice(at, at + 1000)) });
      expect(sent.status, JSON.stringify(sent.body).slice(0, 300)).toBe(202);
    }
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await opened?.context.close();
    await browser?.close();
    await app?.close();
  });

  it('draws density zoomed out, fits on the buttons, scrolls lanes under a pinned axis and zooms on Ctrl+wheel', async () => {
    opened = await openPage(browser, `${app.url}/timeline`);
    const { page } = opened;
    await eventually(async () => Number(await attr(page, 'data-events')) === EVENTS, 'every event on the diagram', 30_000);

    // Zoomed out: density, bundled arrows, the overview of the whole store.
    await page.getByRole('button', { name: 'Fit all' }).click();
    await eventually(async () => (await attr(page, 'data-mode')) === 'density', 'the density view');
    expect(Number(await attr(page, 'data-bundles'))).toBeGreaterThan(0);
    expect(Number(await attr(page, 'data-bundles'))).toBeLessThan(Number(await attr(page, 'data-edges')));
    await eventually(async () => (await page.locator('canvas.timeline-overview').getAttribute('data-events')) === String(EVENTS), 'the overview counting every event');
    const box = (await canvas(page).boundingBox())!;
    const firstLaneY = box.y + 22 + 18;
    await page.mouse.move(box.x + 400, firstLaneY);
    const tip = page.getByTestId('timeline-hover');
    await eventually(async () => (await tip.count()) > 0 && /: \d+ events? · /.test(await tip.innerText()), 'a count on hover');
    // Labels are cut on the diagram but whole on hover.
    await page.mouse.move(box.x + 40, firstLaneY);
    await eventually(async () => (await tip.count()) > 0 && (await tip.innerText()) === host(0), 'the whole label on hover');
    const ticks = (await page.locator('canvas.timeline-axis').getAttribute('data-ticks'))!.split('\n');
    expect(ticks[0]).toMatch(/^2026-03-01 \d\d:\d\d/);
    for (const t of ticks.slice(1)) expect(t).toMatch(/^\d\d:\d\d(:\d\d)?$/);

    // The wheel scrolls the lanes, not the time: the axis stays where it was and the view keeps its events.
    const wrap = page.locator('.timeline-canvas-wrap');
    const axisTop = (await page.locator('canvas.timeline-axis').boundingBox())!.y;
    const before = await visible(page);
    await page.mouse.move(box.x + 400, box.y + 200);
    await page.mouse.wheel(0, 600);
    await eventually(async () => (await wrap.evaluate((el) => el.scrollTop)) > 0, 'the lanes scrolled');
    expect(await visible(page)).toBe(before);
    expect((await page.locator('canvas.timeline-axis').boundingBox())!.y).toBeCloseTo(axisTop, 0);
    expect((await canvas(page).boundingBox())!.y).toBeLessThan(box.y - 100);

    // Ctrl+wheel zooms in around the pointer: fewer events in view, until each has its own mark.
    await page.keyboard.down('Control');
    for (let k = 0; k < 8; k++) await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    await eventually(async () => (await visible(page)) < before / 10, 'zoomed in');
    await eventually(async () => (await attr(page, 'data-mode')) === 'events', 'events drawn one by one');

    // Fit all shows everything again; Fit selection shows the brushed range.
    await page.getByRole('button', { name: 'Fit all' }).click();
    await eventually(async () => (await visible(page)) === EVENTS, 'all events in view');
    await wrap.evaluate((el) => (el.scrollTop = 0));
    const top = (await canvas(page).boundingBox())!;
    await page.keyboard.down('Shift');
    await page.mouse.move(top.x + 400, top.y + 60);
    await page.mouse.down();
    await page.mouse.move(top.x + 480, top.y + 60, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await page.getByRole('button', { name: 'Fit selection' }).click();
    await eventually(async () => (await visible(page)) > 0 && (await visible(page)) < EVENTS / 3, 'the brushed range in view');

    // Zooming out as far as it goes never leaves the data for empty positions.
    await page.mouse.move(top.x + 160, top.y + 60);
    await page.keyboard.down('Control');
    for (let k = 0; k < 10; k++) await page.mouse.wheel(0, 600);
    await page.keyboard.up('Control');
    await eventually(async () => (await visible(page)) === EVENTS, 'everything in view after zooming out');

    // Paused, the live mark is not shown as live.
    await page.getByRole('button', { name: 'Pause live' }).click();
    const live = page.getByTestId('live-state');
    expect(await live.innerText()).toContain('paused');
    expect(await live.getAttribute('class')).not.toContain('status-info');
  });
});

describeE2e('the timeline arranged and read zoomed out', () => {
  const suite = appInBrowser();
  const lanesOf = async (page: Page) => (await attr(page, 'data-lanes')).split('\n');

  beforeAll(async () => {
    const events = history();
    for (let at = 0; at < events.length; at += 1000) {
      const sent = await api(suite.app, '/api/events', { method: 'POST', headers: { 'content-type': 'application/cloudevents-batch+json' }, body: JSON.stringify(events.slice(at, at + 1000)) });
      expect(sent.status).toBe(202);
    }
  });

  /** The timeline with every event on the diagram, fitted. */
  async function opened(): Promise<OpenedPage> {
    const page = await suite.open(`${suite.app.url}/timeline`);
    await eventually(async () => Number(await attr(page.page, 'data-events')) === EVENTS, 'every event on the diagram', 30_000);
    await page.page.getByRole('button', { name: 'Fit all' }).click();
    await eventually(async () => (await visible(page.page)) === EVENTS, 'everything in view');
    return page;
  }

  it('resizes the lane labels by their edge, for the next visit too, and reorders lanes by dragging their labels', async () => {
    const { page, context, errors } = await opened();
    const edge = page.getByRole('separator', { name: 'Lane label width' });
    expect(await edge.getAttribute('aria-valuenow')).toBe('150');
    const grip = (await edge.boundingBox())!;
    await page.mouse.move(grip.x + grip.width / 2, grip.y + 100);
    await page.mouse.down();
    await page.mouse.move(grip.x + grip.width / 2 + 120, grip.y + 100, { steps: 6 });
    await page.mouse.up();
    await eventually(async () => (await attr(page, 'data-label-width')) === '270', 'the labels 270 px wide');
    // The plot starts after them: what was plot at 200 px is a label now, whole on hover.
    const box = (await canvas(page).boundingBox())!;
    const firstLaneY = box.y + 22 + 18;
    await page.mouse.move(box.x + 200, firstLaneY);
    const tip = page.getByTestId('timeline-hover');
    const lanes = await lanesOf(page);
    await eventually(async () => (await tip.count()) > 0 && (await tip.innerText()) === lanes[0], 'the label under the pointer');

    // The next visit opens with the labels as they were left.
    const again = await context.newPage();
    await again.goto(`${suite.app.url}/timeline`);
    await eventually(async () => (await canvas(again).getAttribute('data-label-width')) === '270', 'the width kept');
    expect(await again.getByRole('separator', { name: 'Lane label width' }).getAttribute('aria-valuenow')).toBe('270');
    await again.close();

    // Dragging the first lane's label down between the fourth and fifth lanes moves it there.
    await page.mouse.move(box.x + 40, firstLaneY);
    await page.mouse.down();
    await page.mouse.move(box.x + 40, box.y + 22 + 36 * 4 + 4, { steps: 8 });
    await eventually(async () => (await page.getByTestId('lane-drop').count()) === 1, 'where it will drop');
    await page.mouse.up();
    const moved = [...lanes.slice(1, 4), lanes[0], ...lanes.slice(4)];
    await eventually(async () => JSON.stringify(await lanesOf(page)) === JSON.stringify(moved), 'the lane moved');
    expect(await page.getByTestId('lane-drop').count()).toBe(0);
    // The Lanes list follows, and hides and shows a lane.
    const panel = page.locator('.lane-panel');
    await panel.locator('summary').click();
    expect((await panel.locator('li').nth(3).innerText()).trim()).toContain(lanes[0]!);
    await panel.getByRole('checkbox', { name: lanes[1]!, exact: true }).uncheck();
    await eventually(async () => !(await lanesOf(page)).includes(lanes[1]!), 'the lane hidden');
    await panel.getByRole('checkbox', { name: lanes[1]!, exact: true }).check();
    await eventually(async () => JSON.stringify(await lanesOf(page)) === JSON.stringify(moved), 'the lane shown again, in its place');
    expect(errors).toEqual([]);
  });

  it('shows the selected event zoomed out: its column marked across the lanes, its past and future coloured', async () => {
    const { page, errors } = await opened();
    expect(await attr(page, 'data-mode')).toBe('density');
    expect(await attr(page, 'data-selected-column')).toBe('');
    const box = (await canvas(page).boundingBox())!;
    const left = Number(await attr(page, 'data-label-width'));
    const [x, y] = [box.x + left + 400, box.y + 22 + 36 * 2 + 18];
    await page.mouse.click(x, y);
    await eventually(async () => (await attr(page, 'data-selected-column')) !== '', 'the selection marked zoomed out');
    expect(await attr(page, 'data-mode')).toBe('density');
    // The column is the one clicked (the nearest event, within a few pixels).
    expect(Math.abs(Number(await attr(page, 'data-selected-column')) * 2 - 400)).toBeLessThanOrEqual(8);
    expect(Number(await attr(page, 'data-dense-past'))).toBeGreaterThan(0);
    expect(Number(await attr(page, 'data-dense-future'))).toBeGreaterThan(0);
    expect(Number(await attr(page, 'data-past'))).toBeGreaterThan(0);
    // Drawn: the mark runs across the other lanes too, in the selection's red.
    const column = Number(await attr(page, 'data-selected-column'));
    const pixel = await canvas(page).evaluate((el, at) => {
      const c = el as HTMLCanvasElement;
      const ratio = c.width / c.getBoundingClientRect().width;
      return [...c.getContext('2d')!.getImageData(Math.round(at.x * ratio), Math.round(at.y * ratio), 1, 1).data];
    }, { x: left + column * 2 + 1, y: 22 + 36 * 6 + 2 });
    expect(pixel[0]!).toBeGreaterThan(pixel[1]! + 60);
    expect(pixel[0]!).toBeGreaterThan(pixel[2]! + 60);
    // Deselected, nothing is marked.
    await canvas(page).press('Escape');
    await eventually(async () => (await attr(page, 'data-selected-column')) === '' && (await attr(page, 'data-dense-past')) === '0', 'the mark gone');
    expect(errors).toEqual([]);
  });

  it('brushes the overview in causal order: the strip spans the causal range and shows what is dragged across it', async () => {
    const { page, errors } = await opened();
    await page.getByRole('button', { name: 'Causal order' }).click();
    const strip = page.locator('canvas.timeline-overview');
    await eventually(async () => (await strip.getAttribute('data-axis')) === 'causal', 'the strip in causal order');
    expect(await strip.getAttribute('data-events')).toBe(String(EVENTS));
    await page.getByRole('button', { name: 'Fit all' }).click();
    await eventually(async () => (await visible(page)) === EVENTS, 'everything in view');
    const [from, to] = (await strip.getAttribute('data-view'))!.split('..').map(Number) as [number, number];

    const s = (await strip.boundingBox())!;
    await page.mouse.move(s.x + s.width * 0.2, s.y + s.height / 2);
    await page.mouse.down();
    await page.mouse.move(s.x + s.width * 0.4, s.y + s.height / 2, { steps: 6 });
    await page.mouse.up();
    await eventually(async () => (await visible(page)) < EVENTS / 3, 'the range dragged in view');
    expect(await visible(page)).toBeGreaterThan(EVENTS / 10);
    // The strip's brush is now that range, in causal steps.
    const [a, b] = (await strip.getAttribute('data-view'))!.split('..').map(Number) as [number, number];
    const span = to - from;
    expect(a).toBeGreaterThan(from + span * 0.1);
    expect(b).toBeLessThan(from + span * 0.5);
    expect(await page.getByRole('button', { name: 'Causal order' }).getAttribute('aria-pressed')).toBe('true');
    expect(errors).toEqual([]);
  });
});
