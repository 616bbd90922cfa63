/** `GET /api/node-types`: the palette, derived from the shared node type definitions and the server's node defaults. */
import { Hono } from 'hono';
import { contractOf, queryOf, reply } from '../contract.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { nodeTypeInfos } from '../palette.js';

export function nodeTypeRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const api = contractOf(deps.config);
  app.get('/node-types', (c) => {
    queryOf(c, api.nodeTypes);
    return reply(c, api.nodeTypes, { nodeTypes: nodeTypeInfos(deps.engine.compileOptions.nodeDefaults) });
  });
  return app;
}
