/**
 * How a handler uses its entry of the API table (shared/api): it reads its path parameters and query through the
 * entry's schemas (a 400 naming the field otherwise), and answers through `reply`, whose body must have the type of
 * the entry's answer schema — a handler that answers another shape does not compile. The schemas are not run on
 * answers here (the contract tests do that); they cost nothing per request. A large answer built as text piece by
 * piece (`TimelinePageJson`) goes out through `replyJsonPieces`, a part at a time.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { apiContract, type ApiContract } from '../../shared/api/index.js';
import type { JsonAnswer, RouteSpec } from '../../shared/api/route.js';
import type { Config } from '../config.js';
import { MAX_REPLAY_LIST_LIMIT } from '../store/index.js';
import { parseWith } from './errors.js';
import { parseQuery } from './query.js';

const contracts = new WeakMap<Config, ApiContract>();

/** The API table with this server's limits (built once per configuration). */
export function contractOf(config: Config): ApiContract {
  let contract = contracts.get(config);
  if (!contract) {
    contract = apiContract({ maxQueryLimit: config.processing.maxQueryLimit, maxReplayList: MAX_REPLAY_LIST_LIMIT });
    contracts.set(config, contract);
  }
  return contract;
}

type ParamsOf<R extends RouteSpec> = R['params'] extends z.ZodType ? z.output<R['params']> : never;
type QueryOf<R extends RouteSpec> = R['query'] extends z.ZodType ? z.output<R['query']> : never;

/** The path parameters, as the route's schema reads them; 400 naming the parameter otherwise. */
export function paramsOf<R extends RouteSpec & { params: z.ZodObject }>(c: Context, route: R): ParamsOf<R> {
  return parseWith(route.params, c.req.param(), [], 'path') as ParamsOf<R>;
}

/** The query, as the route's schema reads it; 400 naming the parameter otherwise. */
export function queryOf<R extends RouteSpec & { query: z.ZodObject }>(c: Context, route: R): QueryOf<R> {
  return parseQuery(route.query, c.req.queries()) as QueryOf<R>;
}

/** Keys of T that Shape does not have, each made impossible: an answer has no field its schema lacks. */
type NoExtraKeys<T, Shape> = T & Record<Exclude<keyof T, keyof Shape>, never>;

/**
 * The route's JSON answer with its success status. The body is checked against the answer schema's type, extra
 * top-level fields included (nested ones are the contract tests' to find).
 */
export function reply<R extends RouteSpec, T extends JsonAnswer<R>>(c: Context, route: R, body: NoExtraKeys<T, JsonAnswer<R>>): Response {
  return c.json(body, route.answer.status as ContentfulStatusCode);
}

/** Pieces of text go out in parts of at least this many characters (the last one excepted): few writes, small buffers. */
const PART_CHARS = 64 * 1024;

/**
 * The route's JSON answer with its success status, given as the pieces of its text and sent a part at a time as the
 * client takes them: the answer never exists as one string or one buffer. The caller vouches that the pieces,
 * joined, are the JSON of the route's answer (a builder such as `TimelinePageJson` is held to that by its tests).
 */
export function replyJsonPieces(c: Context, route: RouteSpec, pieces: string[]): Response {
  const encoder = new TextEncoder();
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      let part = '';
      while (next < pieces.length && part.length < PART_CHARS) {
        part += pieces[next];
        pieces[next++] = ''; // sent: not held until the whole answer is
      }
      if (part.length > 0) controller.enqueue(encoder.encode(part));
      if (next === pieces.length) controller.close();
    },
  });
  return c.body(body, route.answer.status as ContentfulStatusCode, { 'content-type': 'application/json' });
}
