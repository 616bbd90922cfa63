/**
 * The structured search: `GET /api/timeline/search?q=…` answers the matches of a query or motif (shared/analysis/)
 * among the events in scope — the filters, `after`, `before` — as store positions. `execution=<id>` searches that
 * imported execution's events instead of the live ones; the namespaces read are chosen as for `GET /api/events`
 * (execution-scope.ts), so an older `source=shiviz://<name>` still reaches the newest import of that name.
 *
 * Evaluated here, over the store, rather than in the browser: a query may test payload fields, which the timeline's
 * compact pages leave out, and the scope of an import or a range is read in one bounded pass wherever the browser's
 * window stands. Bounded three ways so no query holds the server: at most TIMELINE_SEARCH.maxEvents events read (in
 * slices that let other requests through, timeline-read.ts), at most `limit` matches, and at most
 * TIMELINE_SEARCH.maxMs of evaluation; the answer's `truncated` names the bound met. A query that cannot be read is a
 * 400 `invalid_search` naming the position of the problem.
 */
import { Hono } from 'hono';
import { parseQuery } from '../../../shared/analysis/query-parse.js';
import { evaluateQuery } from '../../../shared/analysis/query-eval.js';
import { TIMELINE_SEARCH, type TimelineSearch } from '../../../shared/api/timeline.js';
import { contractOf, queryOf, reply } from '../contract.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { ApiError } from '../errors.js';
import { listNamespaces } from '../execution-scope.js';
import { ImportCatalog } from '../../imports/catalog.js';
import { eventFilterOf } from '../query.js';
import { readTimeline } from './timeline-read.js';

/** Evaluation steps (an event tested, a pair compared, a link walked) one search may take. */
const MAX_WORK = 5_000_000;

export function timelineSearchRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const api = contractOf(deps.config);
  const catalog = new ImportCatalog(deps.store);
  app.get('/timeline/search', async (c) => {
    const q = queryOf(c, api.timelineSearch);
    const parsed = parseQuery(q.q);
    if (!parsed.ok) {
      const { code, message, position } = parsed.error;
      throw new ApiError(400, 'invalid_search', `q: ${message}`, [{ path: 'q', message, position, reason: code }]);
    }
    // Several namespaces (the executions of one older source) are searched as one: their processes and ids differ,
    // so no happened-before is found across them.
    const reads = await Promise.all(
      (await listNamespaces(catalog, q)).map((namespace) =>
        readTimeline(deps.store, { filter: eventFilterOf(q), namespace, limit: TIMELINE_SEARCH.maxEvents + 1, order: 'oldest', ...(q.after !== undefined ? { after: q.after } : {}) }),
      ),
    );
    const read = reads.length === 1 ? reads[0]!.events : reads.flatMap((r) => r.events).sort((a, b) => a.position - b.position);
    let events = q.before === undefined ? read : read.filter((e) => e.position < q.before!);
    const more = events.length > TIMELINE_SEARCH.maxEvents;
    if (more) events = events.slice(0, TIMELINE_SEARCH.maxEvents);
    const started = performance.now();
    const answer = evaluateQuery(parsed.query, events, {
      maxMatches: q.limit ?? TIMELINE_SEARCH.defaultMatches,
      maxWork: MAX_WORK,
      deadline: { now: () => performance.now(), at: started + TIMELINE_SEARCH.maxMs },
    });
    const body: TimelineSearch = {
      matches: answer.matches.map((m) => m.map((i) => events[i]!.position)),
      scanned: events.length,
      truncated: answer.truncated ?? (more ? 'events' : null),
    };
    return reply(c, api.timelineSearch, body);
  });
  return app;
}
