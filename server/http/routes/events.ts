/**
 * Events: publish (structured, batch and binary CloudEvents; 202 only after commit), query with `next` paging,
 * get by id, causal past and future, and a stream read. An event is its source and id: sources may share an id, so
 * the routes by id take `?source=` to choose, and answer the first stored without it. Reads take `?execution=` to
 * read within one imported execution instead of the live events (execution-scope.ts).
 */
import { Hono } from 'hono';
import { acknowledgementOf } from '../../../shared/event.js';
import { ImportCatalog } from '../../imports/catalog.js';
import { isStoreError, type ReadOptions } from '../../store/index.js';
import { readBody } from '../body.js';
import { BATCH, mediaType, modeOf, parsePublish, publishRefusal } from '../cloudevents.js';
import { contractOf, paramsOf, queryOf, reply } from '../contract.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { notFound } from '../errors.js';
import { headersOf } from '../node-request.js';
import { findIn, listNamespaces, readAcross } from '../execution-scope.js';
import { eventFilterOf } from '../query.js';

const DEFAULT_LIMIT = 1000;
const DEFAULT_CAUSALITY_LIMIT = 100;

export function eventRoutes(deps: AppDeps): Hono<AppEnv> {
  const { engine, store, config, metrics } = deps;
  const app = new Hono<AppEnv>();
  const maxLimit = config.processing.maxQueryLimit;
  const api = contractOf(config);
  const catalog = new ImportCatalog(store);

  app.post('/events', async (c) => {
    queryOf(c, api.publishEvents);
    const headers = headersOf(c);
    const contentType = headers['content-type'];
    const limit = mediaType(contentType) === BATCH ? config.bus.batchBodyLimitBytes : config.bus.bodyLimitBytes;
    const body = await readBody(c, limit);
    const mode = modeOf(contentType, headers, body);
    const inputs = parsePublish(mode, contentType, headers, body, { maxDataDepth: config.processing.maxDataDepth });
    const results = await engine.publish(inputs).catch((error: unknown) => {
      throw isStoreError(error, 'invalid_event') ? publishRefusal(error, inputs, mode) : error;
    });
    const fresh = results.filter((r) => !r.duplicate).length;
    if (fresh > 0) metrics?.eventsPublished.inc({ origin: 'http' }, fresh);
    return reply(c, api.publishEvents, { events: results.map((r) => acknowledgementOf(r.event)) });
  });

  app.get('/events', async (c) => {
    const q = queryOf(c, api.listEvents);
    const limit = q.limit ?? Math.min(DEFAULT_LIMIT, maxLimit);
    const options: ReadOptions & { limit: number } = { ...eventFilterOf(q), limit };
    if (q.after !== undefined) options.after = q.after;
    const events = await readAcross(store, await listNamespaces(catalog, q), options);
    const last = events[events.length - 1];
    return reply(c, api.listEvents, { events, next: events.length >= limit && last ? last.position : null });
  });

  const bySource = (source: string | undefined) => (source === undefined ? {} : { source });
  const eventName = (id: string, q: { source?: string; execution?: string }) =>
    `event "${id}"${q.source === undefined ? '' : ` from source "${q.source}"`}${q.execution === undefined ? '' : ` in execution "${q.execution}"`}`;

  app.get('/events/:id', async (c) => {
    const q = queryOf(c, api.getEvent);
    const { id } = paramsOf(c, api.getEvent);
    const event = await findIn(catalog, q, id, (namespace) => store.get(id, { namespace, ...bySource(q.source) }));
    if (!event) throw notFound(eventName(id, q));
    return reply(c, api.getEvent, event);
  });

  app.get('/events/:id/causality', async (c) => {
    const q = queryOf(c, api.eventCausality);
    const { id } = paramsOf(c, api.eventCausality);
    const result = await findIn(catalog, q, id, (namespace) => store.causality(id, { namespace, limit: q.limit ?? DEFAULT_CAUSALITY_LIMIT, ...bySource(q.source) }));
    if (!result) throw notFound(eventName(id, q));
    return reply(c, api.eventCausality, result);
  });

  app.get('/streams/:stream', async (c) => {
    const q = queryOf(c, api.readStream);
    const { stream } = paramsOf(c, api.readStream);
    const events = await store.readStream(stream, q.fromVersion ?? 1, { limit: q.limit ?? Math.min(DEFAULT_LIMIT, maxLimit) });
    return reply(c, api.readStream, { events });
  });

  return app;
}
