/**
 * The imported logs as a list: `GET /api/imports` (newest first, each with its executions, their ids and counts),
 * `GET /api/imports/:id`, `PUT /api/imports/:id/name` to rename one (its events keep their source) and
 * `DELETE /api/imports/:id`, which drops every event it stored.
 */
import { Hono } from 'hono';
import { RenameImportSchema } from '../../../shared/api/imports.js';
import type { ImportCatalog } from '../../imports/catalog.js';
import { readJson } from '../body.js';
import { contractOf, paramsOf, queryOf, reply } from '../contract.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { notFound, parseWith } from '../errors.js';

/** A name is at most 200 characters: the body never needs more. */
const RENAME_BODY_LIMIT = 4096;

export function importCatalogRoutes(deps: AppDeps, catalog: ImportCatalog): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const api = contractOf(deps.config);
  const missing = (id: string) => notFound(`import "${id}"`);

  app.get('/imports', async (c) => {
    queryOf(c, api.listImports);
    return reply(c, api.listImports, { imports: await catalog.list() });
  });

  app.get('/imports/:id', async (c) => {
    queryOf(c, api.getImport);
    const { id } = paramsOf(c, api.getImport);
    const found = await catalog.get(id);
    if (!found) throw missing(id);
    return reply(c, api.getImport, found);
  });

  app.put('/imports/:id/name', async (c) => {
    queryOf(c, api.renameImport);
    const { id } = paramsOf(c, api.renameImport);
    const { name } = parseWith(RenameImportSchema, await readJson(c, RENAME_BODY_LIMIT), [], 'body');
    const renamed = await catalog.rename(id, name);
    if (!renamed) throw missing(id);
    return reply(c, api.renameImport, renamed);
  });

  app.delete('/imports/:id', async (c) => {
    queryOf(c, api.deleteImport);
    const { id } = paramsOf(c, api.deleteImport);
    if (!(await catalog.delete(id))) throw missing(id);
    return c.body(null, 204);
  });

  return app;
}
