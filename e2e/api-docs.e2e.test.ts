/**
 * The API's documentation page in real Chromium, on a server with tokens: `/api/docs` opens without one, Swagger UI
 * (served by the server itself) renders every route of `/api/openapi.json`, an operation opens with its schemas, and
 * the Content-Security-Policy holds throughout: no violation is reported, nothing is loaded from another origin.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseTokens } from '../server/config.js';
import { silentLogger } from '../server/logger.js';
import { startCauseway, type Causeway } from '../server/start.js';
import { describeE2e, eventually, launchBrowser, VIEWPORT } from './support.js';

describeE2e('the API documentation page in the browser', () => {
  let app: Causeway;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    app = await startCauseway({
      config: { port: 0, host: '127.0.0.1', store: { url: 'memory:' }, tokens: parseTokens('vera:viewer:viewer-secret-e2e') },
      env: {},
      demo: false,
      buildWeb: false,
      logger: silentLogger(),
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
  });

  it('renders every route of the OpenAPI document from this server alone, under the policy, without a token', async () => {
    context = await browser.newContext({ viewport: VIEWPORT });
    const violations: string[] = [];
    const errors: string[] = [];
    const origins = new Set<string>();
    await context.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        void (window as unknown as { reportCspViolation(text: string): Promise<void> }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    const page = await context.newPage();
    page.on('request', (request) => origins.add(new URL(request.url()).origin));
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      const text = message.text();
      if (/Content.Security.Policy|Refused to/i.test(text)) violations.push(text);
      else if (message.type() === 'error') errors.push(text);
    });

    const openapi = (await (await fetch(`${app.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(openapi.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);

    const response = await page.goto(`${app.url}/api/docs`);
    expect(response?.status()).toBe(200);
    await page.getByText('Causeway HTTP API').first().waitFor();
    await eventually(async () => (await page.locator('.opblock').count()) === operations, `${operations} operations on the page`);

    // An operation opens with its parameters and its answer's schema.
    await page.locator('.opblock-summary-path', { hasText: '/api/flows/{id}/revisions' }).first().click();
    await page.locator('.opblock.is-open .parameters-container').getByText('id').first().waitFor();
    await page.locator('.opblock.is-open .responses-wrapper').getByText('createdAt').first().waitFor();

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    expect([...origins]).toEqual([app.url]);
  });
});
