/**
 * The API describes itself: `GET /api/openapi.json` is the OpenAPI 3.1 document generated from the route table
 * (openapi.ts), and `GET /api/docs` renders it with Swagger UI, served from this server (the files of
 * swagger-ui-dist and a start script), so the page works offline and under the app's Content-Security-Policy: no
 * inline script, no other origin. Both are open to anyone, as health is: they describe the routes and hold no data.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import type { DocsFile } from '../../../shared/api/health.js';
import { contractOf, paramsOf } from '../contract.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { openApiDocument } from '../openapi.js';

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Causeway HTTP API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/docs.js"></script>
</body>
</html>
`;

/**
 * Starts Swagger UI on this server's document. No validator badge: it would load an image from another origin,
 * which the policy refuses.
 */
const START = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

const swaggerDir = () => dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const FILES: Record<DocsFile, { type: string; read: () => Promise<Uint8Array | string> }> = {
  'swagger-ui.css': { type: 'text/css; charset=utf-8', read: () => readFile(join(swaggerDir(), 'swagger-ui.css')) },
  'swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', read: () => readFile(join(swaggerDir(), 'swagger-ui-bundle.js')) },
  'docs.js': { type: 'text/javascript; charset=utf-8', read: async () => START },
};

export function docsRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const api = contractOf(deps.config);
  // Built on the first ask (it takes a few tens of milliseconds), then kept: the table does not change.
  let document: string | null = null;
  const read = new Map<DocsFile, Promise<Uint8Array | string>>();

  app.get('/openapi.json', (c) => {
    document ??= JSON.stringify(openApiDocument(api, deps.version ?? 'dev'));
    return c.body(document, 200, { 'Content-Type': 'application/json' });
  });

  app.get('/docs', (c) => c.html(PAGE));

  app.get('/docs/:file', async (c) => {
    const { file } = paramsOf(c, api.docsFile);
    const { type, read: load } = FILES[file];
    let body = read.get(file);
    if (!body) {
      read.set(file, (body = load()));
      // A failed read is not kept: the next ask tries again.
      body.catch(() => read.delete(file));
    }
    const content = await body;
    return c.body(typeof content === 'string' ? content : new Uint8Array(content), 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=3600' });
  });

  return app;
}
