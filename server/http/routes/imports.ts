/**
 * Imports: `POST /api/imports/shiviz` takes a ShiViz/GoVector log as text and appends its events to the live
 * namespace — hosts become processes, clocks vector clocks, the text the event. Query parameters: `regex` (the
 * parser, default GoVector's), `delimiter` (splits executions), `name` (the file name, in each event's
 * `source` `shiviz://<name>`), and `form=true` for ShiViz's upload form (line 1 the regex, line 2 the
 * delimiter, then the log). A log the parser refuses is a 400 naming the line.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { parseShiViz, parseShiVizForm, shiVizDrafts } from '../../../shared/shiviz.js';
import { decodeText, readBody } from '../body.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { ApiError } from '../errors.js';
import { parseQuery } from '../query.js';

const ImportQuerySchema = z.strictObject({
  regex: z.string().min(1, 'must not be empty').max(4096, 'at most 4096 characters').optional(),
  delimiter: z.string().max(4096, 'at most 4096 characters').optional(),
  name: z
    .string()
    .min(1, 'must not be empty')
    .max(200, 'at most 200 characters')
    .regex(/^[^\s/\\]+$/, 'a file name without spaces or slashes')
    .optional(),
  form: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  access_token: z.string().optional(),
});

/** Events appended per store call. */
const APPEND_BATCH = 1000;

export function importRoutes(deps: AppDeps): Hono<AppEnv> {
  const { store, config } = deps;
  const app = new Hono<AppEnv>();

  app.post('/imports/shiviz', async (c) => {
    const q = parseQuery(ImportQuerySchema, c.req.queries());
    const text = decodeText(await readBody(c, config.bus.batchBodyLimitBytes));
    const parsed = q.form === 'true' ? parseShiVizForm(text) : parseShiViz(text, { ...(q.regex ? { regex: q.regex } : {}), delimiter: q.delimiter ?? null });
    if (!parsed.ok) {
      const { code, message, line, field } = parsed.error;
      throw new ApiError(400, code, message, [{ path: field, message, ...(line !== null ? { line } : {}) }]);
    }
    const source = `shiviz://${q.name ?? 'log'}`;
    const drafts = shiVizDrafts(parsed.log, { source, start: new Date() });
    let imported = 0;
    for (let i = 0; i < drafts.length; i += APPEND_BATCH) {
      const results = await store.append(drafts.slice(i, i + APPEND_BATCH));
      imported += results.filter((r) => !r.duplicate).length;
    }
    const processes = [...new Set(drafts.map((d) => d.process))];
    return c.json({ imported, events: drafts.length, source, processes, executions: parsed.log.executions.map((e) => e.label) }, 201);
  });

  return app;
}
