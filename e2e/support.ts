/**
 * What every browser test needs (see app.ts), plus `describeE2e`: a suite that skips with the reason when
 * Chromium or the server is missing — except under CI=true, where a missing piece fails it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { e2eReadiness, launchBrowser, openPage, startApp, type OpenedPage, type RunningApp } from './app.js';

export * from './app.js';

/**
 * A describe block that runs only when Chromium and the server are there. Under CI=true a missing piece is a
 * failure, not a skip.
 */
export function describeE2e(name: string, body: () => void): void {
  const reason = e2eReadiness();
  if (reason && process.env.CI === 'true') {
    describe(name, () => {
      throw new Error(`cannot run the browser tests: ${reason}`);
    });
    return;
  }
  if (reason) {
    console.warn(`skipping "${name}": ${reason}`);
    describe.skip(name, body);
    return;
  }
  describe(name, body);
}


/** A suite's app and browser, and the pages it opened. */
export interface Suite {
  readonly app: RunningApp;
  readonly browser: Browser;
  /** A page in a fresh browser context, closed when the suite ends. */
  open(url: string): Promise<OpenedPage>;
}

/** Starts the app and a browser before the suite's tests and closes them, with every page it opened, after them. */
export function appInBrowser(options: Parameters<typeof startApp>[0] = {}): Suite {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  const pages: OpenedPage[] = [];
  beforeAll(async () => {
    app = await startApp(options);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const page of pages) await page.context.close();
    await browser?.close();
    await app?.close();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the suite's ${what} is not started yet`);
    return value;
  };
  return {
    get app() {
      return started(app, 'app');
    },
    get browser() {
      return started(browser, 'browser');
    },
    async open(url) {
      const page = await openPage(started(browser, 'browser'), url);
      pages.push(page);
      return page;
    },
  };
}
