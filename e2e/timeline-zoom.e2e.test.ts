/**
 * The timeline zoomed out and moved around, in real Chromium against the built app holding 6,000 events of 30
 * hosts that message each other: crowded lanes draw their density (counts on hover) with bundled arrows, the
 * overview counts the whole store, Fit all and Fit selection set the view, the wheel scrolls the lanes under a
 * pinned axis while Ctrl+wheel zooms, labels show whole on hover, and a paused timeline is not shown as live.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serialize } from '../shared/clock.js';
import { api, describeE2e, eventually, launchBrowser, openPage, startApp, type OpenedPage, type RunningApp } from './support.js';

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
