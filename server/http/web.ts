/**
 * The built web app (`dist/web`) served as static files, with the SPA fallback: a GET that names no file and
 * asks for HTML gets `index.html`. Paths are resolved inside the directory only. Without a build, a plain page
 * says so.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Context } from 'hono';

/**
 * Sent with every answer, API and static alike. The app loads only its own scripts, styles, data and streams;
 * nothing may frame it (clickjacking); no answer is sniffed as another type; no URL leaks as a referrer.
 * `img-src data:` is for the empty favicon. No `'unsafe-inline'` and no `'unsafe-eval'`: React sets inline
 * styles through the DOM, which a policy does not restrict, and the app evaluates no strings as code (zod runs
 * without its compiled fast path in the browser, see web/main.tsx).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export const hasBuild = (dir: string) => existsSync(join(dir, 'index.html'));

/** Where a URL path points inside `root`, or null when it would leave it. */
export function fileFor(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const path = resolve(base, normalize(`.${sep}${decoded}`));
  return path === base || path.startsWith(base + sep) ? path : null;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Causeway</title>
<body>
<h1>Causeway</h1><p>The API is running, but the web app is not built. Run <code>npm run build</code> and restart.</p>
<p>The API answers under <a href="/api/health">/api</a>.</p></body>`;

export function webHandler(root: string): (c: Context) => Promise<Response | null> {
  return async (c) => {
    if (!hasBuild(root)) return c.html(NOT_BUILT, 200);
    const path = fileFor(root, c.req.path);
    if (path !== null) {
      const info = await stat(path).catch(() => null);
      if (info?.isFile()) {
        const type = TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
        const immutable = c.req.path.startsWith('/assets/');
        return c.body(new Uint8Array(await readFile(path)), 200, {
          'Content-Type': type,
          'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        });
      }
    }
    const wantsHtml = (c.req.header('accept') ?? 'text/html').includes('text/html') || !extname(c.req.path);
    if (!wantsHtml) return null;
    return c.body(new Uint8Array(await readFile(join(root, 'index.html'))), 200, { 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-cache' });
  };
}

/**
 * Builds the web app with vite when `dist/web` is missing (using the project's vite.config.ts). Returns whether
 * a build is there afterwards; a failed build is logged, and the server serves the "not built" page.
 */
export async function ensureWebBuild(root: string, projectRoot: string, log: (message: string, error?: unknown) => void): Promise<boolean> {
  if (hasBuild(root)) return true;
  const configFile = join(projectRoot, 'vite.config.ts');
  if (!existsSync(configFile)) {
    log(`the web app is not built and ${configFile} is missing`);
    return false;
  }
  try {
    log('building the web app (first start)…');
    const { build } = await import('vite');
    await build({ configFile, logLevel: 'warn' });
  } catch (error) {
    log('the web app could not be built', error);
    return false;
  }
  return hasBuild(root);
}
