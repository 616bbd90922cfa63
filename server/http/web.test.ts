import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { fileFor, webHandler } from './web.js';

const root = mkdtempSync(join(tmpdir(), 'causeway-web-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const appFor = (dir: string) => {
  const app = new Hono();
  const web = webHandler(dir);
  app.get('*', async (c) => (await web(c)) ?? c.json({ error: { code: 'not_found', message: 'none', details: [] } }, 404));
  return app;
};

describe('serving the web app', () => {
  it('keeps paths inside the root', () => {
    expect(fileFor('/srv/web', '/assets/app.js')).toBe('/srv/web/assets/app.js');
    expect(fileFor('/srv/web', '/../etc/passwd')).toBeNull();
    expect(fileFor('/srv/web', '/%2e%2e/%2e%2e/etc/passwd')).toBeNull();
    expect(fileFor('/srv/web', '/assets/..%2f..%2fsecret')).toBeNull();
    expect(fileFor('/srv/web', '/%E0%A4%A')).toBeNull();
    expect(fileFor('/srv/web', '/a%00b')).toBeNull();
  });

  it('says the UI is not built when there is no build', async () => {
    const res = await appFor(join(root, 'missing')).request('/flows');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('not built');
  });

  it('serves files with their type, and index.html for client-side routes', async () => {
    const dist = join(root, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
    const app = appFor(dist);
    const js = await app.request('/assets/app.js');
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(await js.text()).toBe('console.log(1)');
    const route = await app.request('/flows/f-1', { headers: { accept: 'text/html' } });
    expect(await route.text()).toContain('id="root"');
    const missingAsset = await app.request('/assets/missing.js', { headers: { accept: '*/*' } });
    expect(missingAsset.status).toBe(404);
  });
});
