/**
 * Events: publish (structured, batch and binary CloudEvents; 202 only after commit), query with `next` paging,
 * get by id, causal past and future, and a stream read. An event is its source and id: sources may share an id, so
 * the routes by id take `?source=` to choose, and answer the first stored without it.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { acknowledgementOf } from '../../../shared/event.js';
import { isStoreError, type ReadOptions } from '../../store/index.js';
import { readBody } from '../body.js';
import { BATCH, mediaType, modeOf, parsePublish, publishRefusal } from '../cloudevents.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { notFound, parseWith } from '../errors.js';
import { headersOf } from '../node-request.js';
import { causalityQuerySchema, eventFilterOf, eventQuerySchema, noQuerySchema, parseQuery, streamQuerySchema } from '../query.js';

const EventIdParam = z.string().min(1).max(256, 'at most 256 characters');
const StreamParam = z.string().min(1).max(256, 'at most 256 characters');
const SourceParam = z.string().min(1, 'must not be empty').max(1024, 'at most 1024 characters');
const getQuerySchema = noQuerySchema.extend({ source: SourceParam.optional() });

const DEFAULT_LIMIT = 1000;
const DEFAULT_CAUSALITY_LIMIT = 100;

export function eventRoutes(deps: AppDeps): Hono<AppEnv> {
  const { engine, store, config, metrics } = deps;
  const app = new Hono<AppEnv>();
  const maxLimit = config.processing.maxQueryLimit;
  const causalityQuery = causalityQuerySchema(maxLimit).extend({ source: SourceParam.optional() });

  app.post('/events', async (c) => {
    parseQuery(noQuerySchema, c.req.queries());
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
    if (fresh > 0) metrics.eventsPublished.inc({ origin: 'http' }, fresh);
    return c.json({ events: results.map((r) => acknowledgementOf(r.event)) }, 202);
  });

  app.get('/events', async (c) => {
    const q = parseQuery(eventQuerySchema(maxLimit), c.req.queries());
    const limit = q.limit ?? Math.min(DEFAULT_LIMIT, maxLimit);
    const options: ReadOptions = { ...eventFilterOf(q), limit };
    if (q.after !== undefined) options.after = q.after;
    const events = await store.read(options);
    const last = events[events.length - 1];
    return c.json({ events, next: events.length >= limit && last ? last.position : null });
  });

  const eventId = (c: Context<AppEnv>) => parseWith(EventIdParam, c.req.param('id'), ['id'], 'event id');

  const bySource = (source: string | undefined) => (source === undefined ? {} : { source });
  const eventName = (id: string, source: string | undefined) => `event "${id}"${source === undefined ? '' : ` from source "${source}"`}`;

  app.get('/events/:id', async (c) => {
    const q = parseQuery(getQuerySchema, c.req.queries());
    const id = eventId(c);
    const event = await store.get(id, bySource(q.source));
    if (!event) throw notFound(eventName(id, q.source));
    return c.json(event);
  });

  app.get('/events/:id/causality', async (c) => {
    const q = parseQuery(causalityQuery, c.req.queries());
    const id = eventId(c);
    const result = await store.causality(id, { limit: q.limit ?? DEFAULT_CAUSALITY_LIMIT, ...bySource(q.source) });
    if (!result) throw notFound(eventName(id, q.source));
    return c.json(result);
  });

  app.get('/streams/:stream', async (c) => {
    const q = parseQuery(streamQuerySchema(maxLimit), c.req.queries());
    const stream = parseWith(StreamParam, c.req.param('stream'), ['stream'], 'stream');
    const events = await store.readStream(stream, q.fromVersion ?? 1, { limit: q.limit ?? Math.min(DEFAULT_LIMIT, maxLimit) });
    return c.json({ events });
  });

  return app;
}
