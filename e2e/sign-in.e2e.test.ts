/**
 * Signing in, in real Chromium against a server with tokens and the demo flow running: the app asks for a token,
 * refuses a wrong one with a message, signs an editor in; the editor then opens the demo flow (live counts over
 * its stream) and saves a change, the timeline draws events and follows them live; a viewer then sees a 403
 * message when saving, not the sign-in page. The server's Content-Security-Policy holds throughout: no violation
 * is reported, and every request and stream carried the token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Flow } from '../shared/flow.js';
import { parseTokens } from '../server/config.js';
import { DEMO_FLOW_ID } from '../server/demo.js';
import { silentLogger } from '../server/logger.js';
import { startCauseway, type Causeway } from '../server/start.js';
import { describeE2e, eventually, launchBrowser, VIEWPORT, webDist } from './support.js';

const EDITOR = 'editor-secret-e2e-1';
const VIEWER = 'viewer-secret-e2e-1';

/** What the page reported: CSP violations (event and console), page errors, and the API answers it got. */
interface Watch {
  violations: string[];
  errors: string[];
  answers: { url: string; status: number }[];
}

async function watchedPage(context: BrowserContext, watch: Watch): Promise<Page> {
  await context.exposeFunction('reportCspViolation', (text: string) => watch.violations.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { reportCspViolation(text: string): Promise<void> }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => watch.errors.push(error.message));
  page.on('console', (message) => {
    const text = message.text();
    if (/Content.Security.Policy|Refused to/i.test(text)) watch.violations.push(text);
    else if (message.type() === 'error' && !/Failed to load resource/.test(text)) watch.errors.push(text);
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/api/') || url.pathname === '/metrics') watch.answers.push({ url: url.pathname + url.search, status: response.status() });
  });
  return page;
}

describeE2e('signing in with tokens in the browser', () => {
  let app: Causeway;
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'causeway-sign-in-'));
    app = await startCauseway({
      config: {
        port: 0,
        host: '127.0.0.1',
        store: { url: `sqlite:${join(dataDir, 'db')}` },
        webDist,
        tokens: parseTokens(`eddie:editor:${EDITOR},vera:viewer:${VIEWER}`),
      },
      env: {},
      demo: true,
      buildWeb: false,
      logger: silentLogger(),
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks for a token, refuses a wrong one, and lets an editor edit and a viewer read', async () => {
    context = await browser.newContext({ viewport: VIEWPORT });
    const watch: Watch = { violations: [], errors: [], answers: [] };
    const page = await watchedPage(context, watch);
    const asEditor = { authorization: `Bearer ${EDITOR}` };

    // First visit: the sign-in page, not a page of 401s.
    await page.goto(`${app.url}/`);
    await page.getByRole('heading', { name: 'Sign in to Causeway' }).waitFor();
    expect(watch.answers.filter((a) => a.status === 401)).toEqual([]);

    // A wrong token is refused with the server's reason, and the page stays.
    await page.getByLabel('Access token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await eventually(async () => /refused the token: the token is not valid/.test((await page.getByRole('alert').textContent()) ?? ''), 'the wrong token refused');
    await expect(page.getByRole('heading', { name: 'Sign in to Causeway' }).isVisible()).resolves.toBe(true);

    // The editor's token signs in: the flows, and who is signed in.
    await page.getByLabel('Access token').fill(EDITOR);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Cold-chain monitor (demo)' }).waitFor();
    await expect(page.getByTestId('signed-in-as').innerText()).resolves.toMatch(/eddie\s+editor/);

    // A reload keeps the tab signed in.
    await page.reload();
    await page.getByRole('link', { name: 'Cold-chain monitor (demo)' }).waitFor();

    // The editor: the demo flow loads, runs with live counts (its stream), and a change is saved.
    await page.getByRole('link', { name: 'Cold-chain monitor (demo)' }).click();
    await page.getByTestId('flow-state').filter({ hasText: /Running revision \d+/ }).waitFor({ timeout: 30_000 });
    await eventually(async () => (await page.locator('.react-flow__node').count()) === 5, 'the demo flow’s five nodes');
    await eventually(async () => /in [1-9]/.test((await page.locator('[data-testid="node-too-warm"] .flow-node-live').textContent()) ?? ''), 'live counts on the filter', 20_000);
    const before = (await (await fetch(`${app.url}/api/flows/${DEMO_FLOW_ID}`, { headers: asEditor })).json()) as Flow;
    await page.locator('[data-testid="node-too-warm"]').click();
    await page.getByLabel('Name', { exact: true }).fill('too warm (edited)');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(`Saved revision ${before.revision + 1}.`).waitFor();
    const saved = (await (await fetch(`${app.url}/api/flows/${DEMO_FLOW_ID}`, { headers: asEditor })).json()) as Flow;
    expect(saved.nodes.find((n) => n.id === 'too-warm')?.name).toBe('too warm (edited)');
    const revisions = (await (await fetch(`${app.url}/api/flows/${DEMO_FLOW_ID}/revisions`, { headers: asEditor })).json()) as { revisions: { revision: number; author: string | null }[] };
    expect(revisions.revisions[0]).toMatchObject({ revision: before.revision + 1, author: 'eddie' });

    // The timeline: events drawn, and its live stream open with the token.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Timeline' }).click();
    const canvas = page.locator('canvas.timeline-canvas').first();
    await eventually(async () => Number((await canvas.getAttribute('data-events')) ?? 0) > 0, 'events on the timeline');
    await page.getByText('● live').waitFor({ timeout: 20_000 });
    const shown = Number(await canvas.getAttribute('data-events'));
    await eventually(async () => Number((await canvas.getAttribute('data-events')) ?? 0) > shown, 'live events arriving on the timeline', 20_000);
    const streams = watch.answers.filter((a) => a.url.startsWith('/api/events/live') || /^\/api\/flows\/[^/]+\/live/.test(a.url));
    expect(streams.length).toBeGreaterThanOrEqual(2);
    for (const stream of streams) {
      expect(stream.url).toContain(`access_token=${EDITOR}`);
      expect(stream.status).toBe(200);
    }

    // Sign out, and in as a viewer: saving is refused for the role, said so, and the viewer stays signed in.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Causeway' }).waitFor();
    await page.getByLabel('Access token').fill(VIEWER);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('signed-in-as').innerText()).resolves.toMatch(/vera\s+viewer/);
    await page.goto(`${app.url}/flows/${DEMO_FLOW_ID}`);
    await eventually(async () => (await page.locator('.react-flow__node').count()) === 5, 'the demo flow for the viewer');
    await page.locator('[data-testid="node-too-warm"]').click();
    await page.getByLabel('Name', { exact: true }).fill('viewer was here');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/Could not save: your role does not allow this \(this needs the editor role; the token "vera" is viewer\)/).waitFor();
    await expect(page.getByRole('heading', { name: 'Sign in to Causeway' }).count()).resolves.toBe(0);
    await expect(page.getByTestId('signed-in-as').innerText()).resolves.toMatch(/vera\s+viewer/);
    const unchanged = (await (await fetch(`${app.url}/api/flows/${DEMO_FLOW_ID}`, { headers: asEditor })).json()) as Flow;
    expect(unchanged.revision).toBe(before.revision + 1);

    // Every answer the app got carried a token the server took: the one 401 was the wrong token's check.
    expect(watch.answers.filter((a) => a.status === 401).map((a) => a.url)).toEqual(['/api/whoami']);
    expect(watch.answers.filter((a) => a.status === 403).map((a) => a.url)).toEqual([`/api/flows/${DEMO_FLOW_ID}`]);
    expect(watch.violations).toEqual([]);
    expect(watch.errors).toEqual([]);
  });
});
