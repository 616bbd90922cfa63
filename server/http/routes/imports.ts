/**
 * Imports: `POST /api/imports/shiviz` takes a ShiViz/GoVector log as text and appends its events to the live
 * namespace — hosts become processes, clocks vector clocks, the text the event. Query parameters: `regex` (the
 * parser, default GoVector's), `delimiter` (splits executions), `name` (the file name, in each event's
 * `source` `shiviz://<name>`), and `form=true` for ShiViz's upload form (line 1 the regex, line 2 the
 * delimiter, then the log). A log the parser refuses is a 400 naming the line. The parsing runs in a worker
 * thread with a time limit (`imports.parseTimeoutMs`): a regex that takes longer is a 400 `regex_timeout`.
 */
import { Hono } from 'hono';
import { draftsOf } from '../../imports/shiviz-job.js';
import { ShiVizPool } from '../../imports/shiviz-pool.js';
import { notUtf8, readBody } from '../body.js';
import { contractOf, queryOf, reply } from '../contract.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { ApiError } from '../errors.js';

/** Events appended per store call. */
const APPEND_BATCH = 1000;

export function importRoutes(deps: AppDeps): Hono<AppEnv> {
  const { store, config } = deps;
  const app = new Hono<AppEnv>();
  const api = contractOf(config);
  const parser = new ShiVizPool({ timeoutMs: config.imports.parseTimeoutMs, memoryMb: config.imports.parseMemoryMb });
  deps.beforeClose?.(() => parser.close());

  app.post('/imports/shiviz', async (c) => {
    const q = queryOf(c, api.importShiViz);
    const body = await readBody(c, config.bus.batchBodyLimitBytes);
    const source = `shiviz://${q.name ?? 'log'}`;
    const parsed = await parser.parse({ body, form: q.form === 'true', regex: q.regex ?? null, delimiter: q.delimiter ?? null, source, start: Date.now(), batchSize: APPEND_BATCH });
    if (!parsed.ok) {
      if (!parsed.error) throw notUtf8();
      const { code, message, line, field } = parsed.error;
      throw new ApiError(400, code, message, [{ path: field, message, ...(line !== null ? { line } : {}) }]);
    }
    let imported = 0;
    for (const batch of parsed.batches) {
      const results = await store.append(draftsOf(batch));
      imported += results.filter((r) => !r.duplicate).length;
    }
    const { events, processes, executions } = parsed;
    return reply(c, api.importShiViz, { imported, events, source, processes, executions });
  });

  return app;
}
