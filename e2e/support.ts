/**
 * What every browser test needs (see app.ts), plus `describeE2e`: a suite that skips with the reason when
 * Chromium or the server is missing — except under CI=true, where a missing piece fails it.
 */
import { describe } from 'vitest';
import { e2eReadiness } from './app.js';

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

