/**
 * The timeline over a store of a million events:
 * - `timeline_1m_overview_ms`: the real server holding 1,000,000 events on 12 processes (published over HTTP),
 *   headless Chromium: time from navigation to `/timeline` until the overview strip has drawn the whole store's
 *   counts (the page's `timeline:overview-painted` mark; the server counts per process and slice of time,
 *   `GET /api/timeline/density`), while the diagram's first pages load beside it.
 * - `timeline_1m_pan_frame_ms_median`: once the diagram holds what it keeps (the newest 200,000) and is fitted
 *   (zoomed out: density and bundled arrows), the median time between animation frames while it is dragged for
 *   about two seconds and then zoomed in and out with Ctrl+wheel, 24 steps.
 */
import type { Page } from 'playwright-core';
import { e2eReadiness, launchBrowser, openPage, startApp } from '../../e2e/app.js';
import { OVERVIEW_PAINTED_MARK } from '../../web/timeline/marks.js';
import type { FigureGroup } from '../figure-group.js';
import { frameTimes, ONE_FRAME } from '../frames.js';
import type { Figure } from '../report.js';
import { median, spreadOf } from '../stats.js';
import { MessageHistory, panFrameTimes, processNames, publishHistory, waitForEventsDrawn } from './timeline.js';

const EVENTS = 1_000_000;
const PROCESSES = 12;
const ZOOM_STEPS = 24;
/** The most events the web's diagram holds (MAX_EVENTS of web/timeline/useTimelineEvents.ts). */
const MAX_EVENTS = 200_000;

async function waitForOverview(page: Page): Promise<{ startTime: number; events: number }> {
  const handle = await page.waitForFunction(
    (name) => {
      const m = performance.getEntriesByName(name)[0] as PerformanceMark | undefined;
      return m ? { startTime: m.startTime, events: (m.detail as { events: number }).events } : null;
    },
    OVERVIEW_PAINTED_MARK,
    { timeout: 120_000, polling: 20 },
  );
  return (await handle.jsonValue()) as { startTime: number; events: number };
}

/** Ctrl+wheel in and out around the middle of the diagram, one step per frame or so. */
async function zoomFrameTimes(page: Page): Promise<number[]> {
  const box = await page.locator('canvas.timeline-canvas').first().boundingBox();
  if (!box) throw new Error('the timeline canvas has no box');
  return frameTimes(page, async () => {
    await page.mouse.move(box.x + box.width / 2, box.y + 100);
    await page.keyboard.down('Control');
    for (let k = 0; k < ZOOM_STEPS; k++) {
      await page.mouse.wheel(0, k < ZOOM_STEPS / 2 ? -120 : 120);
      await page.waitForTimeout(16);
    }
    await page.keyboard.up('Control');
  });
}

async function measure(): Promise<Figure[]> {
  const missing = e2eReadiness();
  if (missing) {
    console.error(`skipping the 1M timeline figures: ${missing}`);
    return [];
  }
  const app = await startApp({ demo: false });
  const browser = await launchBrowser();
  try {
    const publishing = performance.now();
    await publishHistory(app, new MessageHistory(processNames(PROCESSES), 5), EVENTS);
    console.error(`timeline 1m: ${EVENTS} events published in ${Math.round(performance.now() - publishing)} ms`);

    const { page, errors } = await openPage(browser, `${app.url}/`);
    await page.goto(`${app.url}/timeline`, { waitUntil: 'commit' });
    const overview = await waitForOverview(page);
    console.error(`timeline 1m: overview of ${overview.events} events at ${Math.round(overview.startTime)} ms`);
    if (overview.events !== EVENTS) throw new Error(`the overview counted ${overview.events} events, not ${EVENTS}`);
    const drawn = await waitForEventsDrawn(page, MAX_EVENTS);
    console.error(`timeline 1m: the diagram holds ${MAX_EVENTS} events at ${Math.round(drawn)} ms`);
    await page.getByRole('button', { name: 'Fit all' }).click();
    await page.waitForTimeout(500);
    const mode = await page.locator('canvas.timeline-canvas').first().getAttribute('data-mode');
    const frames = [...(await panFrameTimes(page)), ...(await zoomFrameTimes(page))];
    console.error(`timeline 1m: drawn as ${mode}; ${frames.length} frames while panning and zooming`);
    if (errors.length > 0) console.error(`timeline 1m: page errors: ${errors.slice(0, 5).join(' | ')}`);
    return [
      { name: 'timeline_1m_overview_ms', value: overview.startTime, unit: 'ms', goal: '≤ 2000 ms' },
      { name: 'timeline_1m_pan_frame_ms_median', value: median(frames), unit: 'ms', spread: spreadOf(frames, 'frames'), goal: ONE_FRAME },
    ];
  } finally {
    await browser.close();
    await app.close();
  }
}

export const timeline1mFigures: FigureGroup = {
  names: ['timeline_1m_overview_ms', 'timeline_1m_pan_frame_ms_median'],
  run: measure,
};
