/** `GET /api/node-types`: the palette, derived from the shared node type definitions. */
import { Hono } from 'hono';
import type { AppEnv } from '../deps.js';
import { nodeTypeInfos } from '../palette.js';
import { noQuerySchema, parseQuery } from '../query.js';

export function nodeTypeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/node-types', (c) => {
    parseQuery(noQuerySchema, c.req.queries());
    return c.json({ nodeTypes: nodeTypeInfos() });
  });
  return app;
}
