/**
 * Frame times in the page: the intervals between requestAnimationFrame callbacks while a gesture runs. The
 * scripts go to the page as text: the TypeScript loader would otherwise add helpers the page lacks.
 */
import type { Page } from 'playwright-core';

/** Runs `gesture` and returns the frame intervals (ms) seen meanwhile. */
export async function frameTimes(page: Page, gesture: () => Promise<void>): Promise<number[]> {
  await page.evaluate(`(() => {
    window.frames_ = [];
    window.stop_ = false;
    let last = performance.now();
    const tick = (now) => {
      window.frames_.push(now - last);
      last = now;
      if (!window.stop_) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await gesture();
  return page.evaluate<number[]>(`(() => {
    window.stop_ = true;
    return window.frames_.slice(1);
  })()`);
}

/**
 * The goal of a frame-time figure. Frames come at the display's rate, so a median interval of 16.7 ms at 60 Hz
 * means every frame was drawn: "≤ 16 ms" can only be met as "no frame dropped".
 */
export const ONE_FRAME = '≤ one frame (16.7 ms at 60 Hz)';
