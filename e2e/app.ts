/**
 * The real app for browser tests and benchmarks: the server started in-process on a free port with a fresh
 * SQLite store, headless Chromium, and what a test needs around them. `e2eReadiness()` says why they cannot
 * run here, if they cannot. Free of the test runner, so `npm run bench` can use it too.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
export const VIEWPORT = { width: 1280, height: 800 };

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const startModule = join(projectRoot, 'server', 'start.ts');
export const webDist = join(projectRoot, 'dist', 'web');
export const screenshotDir = join(projectRoot, 'docs', 'screenshots');

/**
 * Writes a README screenshot, only when asked (`npm run screenshots` sets CAUSEWAY_SCREENSHOTS=1): a test run
 * leaves the committed pictures alone.
 */
export async function readmeScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.CAUSEWAY_SCREENSHOTS !== '1') return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, name) });
}

export interface RunningApp {
  /** Base URL, e.g. `http://127.0.0.1:41234`, no trailing slash. */
  url: string;
  /** The directory holding this app's SQLite database. */
  dataDir: string;
  close(): Promise<void>;
}

/** What `startCauseway` from server/start.ts hands back; read loosely, so either form of address works. */
interface StartedServer {
  url?: string;
  port?: number;
  address?: string | { port: number } | (() => unknown);
  server?: { address(): unknown };
  close(): Promise<void> | void;
}

interface StartModule {
  startCauseway(options: { config: Record<string, unknown>; demo?: boolean }): Promise<StartedServer>;
}

/** Why the browser tests cannot run here, or null when they can. */
export function e2eReadiness(): string | null {
  if (!existsSync(CHROMIUM_PATH)) return `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium)`;
  if (!existingServer() && !existsSync(startModule)) return 'server/start.ts does not exist yet, so there is no server to test against';
  return null;
}

function addressOf(started: StartedServer): string {
  if (typeof started.url === 'string') return started.url.replace(/\/$/, '');
  if (typeof started.port === 'number') return `http://127.0.0.1:${started.port}`;
  const address = typeof started.address === 'function' ? started.address() : (started.address ?? started.server?.address());
  if (typeof address === 'string') return address.replace(/\/$/, '');
  if (address && typeof address === 'object' && 'port' in address && typeof address.port === 'number') {
    return `http://127.0.0.1:${address.port}`;
  }
  throw new Error('startCauseway returned no url, port or address');
}

/** `CAUSEWAY_E2E_URL` points the tests at a server already running (started elsewhere) instead of one of their own. */
const existingServer = () => process.env.CAUSEWAY_E2E_URL?.replace(/\/$/, '') || null;

/**
 * Starts the real server in this process on a free port with its own SQLite database (or uses the one at
 * `CAUSEWAY_E2E_URL`).
 */
export async function startApp(options: { demo?: boolean } = {}): Promise<RunningApp> {
  const existing = existingServer();
  if (existing) return { url: existing, dataDir: '', close: async () => undefined };
  const dataDir = mkdtempSync(join(tmpdir(), 'causeway-e2e-'));
  const module = (await import(/* @vite-ignore */ startModule)) as StartModule;
  const started = await module.startCauseway({
    config: { port: 0, host: '127.0.0.1', store: { url: `sqlite:${join(dataDir, 'db')}` }, webDist },
    demo: options.demo ?? false,
  });
  const url = addressOf(started);
  return {
    url,
    dataDir,
    close: async () => {
      await started.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors seen so far. */
  errors: string[];
}

/** A fresh context (own IndexedDB) and page at 1280×800, collecting page errors. */
export async function openPage(browser: Browser, url: string): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin }).catch(() => undefined);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  return { context, page, errors };
}

/** Calls the app's HTTP API directly (for set-up and for checking what the UI did). */
export async function api<T>(app: RunningApp, path: string, init: RequestInit = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(`${app.url}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
}

/** Polls until `check` returns a truthy value, or fails with `what` after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T> | T, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
