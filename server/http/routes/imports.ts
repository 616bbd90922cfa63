/**
 * Imports: `POST /api/imports/shiviz` takes a ShiViz/GoVector log as text — hosts become processes, clocks vector
 * clocks, the text the event — and stores each of its executions in a namespace of its own (imports/catalog.ts),
 * never among the live events nor beside another import, then lists the import. Query parameters: `regex` (the
 * parser, default GoVector's), `delimiter` (splits executions), `name` (the file name, in each event's `source`
 * `shiviz://<name>`), `form=true` for ShiViz's upload form (line 1 the regex, line 2 the delimiter, then the log),
 * and `strict=true` to refuse a log with lines the regex does not cover. A log the parser refuses is a 400 naming
 * the line; the lines it leaves out are listed in the answer. The parsing runs in a worker thread with a time limit
 * (`imports.parseTimeoutMs`): a regex that takes longer is a 400 `regex_timeout`. An import that fails while it is
 * stored (a full disk, say) drops every event it stored before answering the error: an import is listed whole or
 * not at all. The routes that list, rename and delete imports are import-catalog.ts; at start, the imports made
 * before executions existed are copied out of the live events (imports/legacy.ts).
 */
import { Hono } from 'hono';
import type { Execution, ImportSummary } from '../../../shared/api/imports.js';
import type { EventDraft } from '../../../shared/event.js';
import { executionNamespace, ImportCatalog, newImportId } from '../../imports/catalog.js';
import { copyLegacyImports } from '../../imports/legacy.js';
import { draftsOf } from '../../imports/shiviz-job.js';
import { ShiVizPool } from '../../imports/shiviz-pool.js';
import { notUtf8, readBody } from '../body.js';
import { contractOf, queryOf, reply } from '../contract.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { ApiError } from '../errors.js';
import { importCatalogRoutes } from './import-catalog.js';

/** Events appended per store call. */
const APPEND_BATCH = 1000;
/** The unmatched lines a strict refusal names in its message (all listed ones are in its details). */
const NAMED_IN_MESSAGE = 10;

/** A batch's drafts grouped by the label of their execution, in order. */
function byExecution(drafts: EventDraft[]): Map<string, EventDraft[]> {
  const groups = new Map<string, EventDraft[]>();
  for (const draft of drafts) {
    const label = (draft.data as { execution?: string }).execution ?? '';
    const group = groups.get(label);
    if (group) group.push(draft);
    else groups.set(label, [draft]);
  }
  return groups;
}

function unmatchedRefusal(lines: { line: number; text: string }[], count: number): ApiError {
  const named = lines.slice(0, NAMED_IN_MESSAGE).map((l) => l.line).join(', ');
  const more = count > NAMED_IN_MESSAGE ? ` and ${count - NAMED_IN_MESSAGE} more` : '';
  return new ApiError(
    400,
    'unmatched_lines',
    `the regex does not cover line${count === 1 ? '' : 's'} ${named}${more}; without strict=true they are left out and listed`,
    lines.map((l) => ({ path: 'body', line: l.line, message: `not covered by the regex: ${l.text}` })),
  );
}

export function importRoutes(deps: AppDeps): Hono<AppEnv> {
  const { store, config } = deps;
  const app = new Hono<AppEnv>();
  const api = contractOf(config);
  const catalog = new ImportCatalog(store);
  const parser = new ShiVizPool({ timeoutMs: config.imports.parseTimeoutMs, memoryMb: config.imports.parseMemoryMb });
  deps.beforeClose?.(() => parser.close());
  // Imports made before executions existed are copied out of the live events, once, beside the server's start.
  const copying = copyLegacyImports(store, catalog, deps.shutdown).then(
    (listed) => listed.length > 0 && deps.logger.info({ imports: listed.map((i) => i.name) }, 'imports made before executions copied out of the live events'),
    (error: unknown) => deps.logger.warn({ error: String(error) }, 'imports made before executions could not be copied out of the live events'),
  );
  deps.beforeClose?.(async () => {
    await copying;
  });

  app.post('/imports/shiviz', async (c) => {
    const q = queryOf(c, api.importShiViz);
    const body = await readBody(c, config.bus.batchBodyLimitBytes);
    const name = q.name ?? 'log';
    const source = `shiviz://${name}`;
    const parsed = await parser.parse({ body, form: q.form === 'true', regex: q.regex ?? null, delimiter: q.delimiter ?? null, source, start: Date.now(), batchSize: APPEND_BATCH });
    if (!parsed.ok) {
      if (!parsed.error) throw notUtf8();
      const { code, message, line, field } = parsed.error;
      throw new ApiError(400, code, message, [{ path: field, message, ...(line !== null ? { line } : {}) }]);
    }
    if (q.strict === 'true' && parsed.unmatchedCount > 0) throw unmatchedRefusal(parsed.unmatched, parsed.unmatchedCount);

    const id = newImportId();
    const executions: Execution[] = parsed.runs.map((run, i) => ({ id: `${id}.${i + 1}`, label: run.label, events: run.events, hosts: run.hosts }));
    const namespaces = new Map(executions.map((e) => [e.label, executionNamespace(e.id)]));
    let imported = 0;
    const { events, processes } = parsed;
    const summary: ImportSummary = { id, name, source, importedAt: new Date().toISOString(), events, executions };
    try {
      for (const batch of parsed.batches) {
        for (const [label, drafts] of byExecution(draftsOf(batch))) {
          const results = await store.append(drafts, { namespace: namespaces.get(label)! });
          imported += results.filter((r) => !r.duplicate).length;
        }
      }
      // Listed once all its events are stored: a listed import is whole.
      await catalog.add(summary);
    } catch (error) {
      // Nothing of a failed import is left behind unlisted: what it stored goes with it.
      await catalog.drop(executions.map((e) => e.id)).catch((dropError: unknown) => deps.logger.warn({ import: id, error: String(dropError) }, 'a failed import could not be dropped'));
      throw error;
    }
    return reply(c, api.importShiViz, {
      imported,
      events,
      source,
      processes,
      executions: parsed.executions,
      import: summary,
      unmatched: parsed.unmatched,
      unmatchedCount: parsed.unmatchedCount,
    });
  });

  app.route('/', importCatalogRoutes(deps, catalog));
  return app;
}
