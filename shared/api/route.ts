/**
 * What one route of the HTTP API is, as data: its method and path, the least role that may call it, what a request
 * carries (path parameters, query, headers, body) and what it answers. The server validates requests with these
 * schemas and types its answers by them, the web client parses answers with them, and the OpenAPI document is
 * generated from them: one definition of the wire for all three. Pure: zod and nothing else.
 */
import type { z } from 'zod';
import type { SessionRole } from '../session.js';

export type Method = 'get' | 'post' | 'put' | 'delete';

/** The statuses a route may answer with besides its success; every route may also answer 500. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 408 | 409 | 412 | 413 | 415 | 422 | 428 | 429 | 503 | 507;

export interface AnswerSpec {
  status: 200 | 201 | 202 | 204;
  description: string;
  /** The body by media type; none for 204. */
  content?: Readonly<Record<string, z.ZodType>>;
  /** The headers the answer carries, with what they hold. */
  headers?: Readonly<Record<string, string>>;
  /** When the route answers 304 Not Modified to a conditional request (If-None-Match), and what that means. */
  notModified?: string;
}

export interface RouteSpec {
  method: Method;
  /** As OpenAPI writes it, path parameters in braces: `/api/flows/{id}`. */
  path: string;
  /** The group it is listed under: `flows`, `events` … */
  tag: string;
  summary: string;
  description?: string;
  /** The least role that may call it when the server has tokens; null: open to anyone. */
  role: SessionRole | null;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers the route reads. */
  headers?: z.ZodObject;
  body?: { description: string; required: boolean; content: Readonly<Record<string, z.ZodType>> };
  answer: AnswerSpec;
  /** A server-sent event stream: each message name with the JSON its `data:` line holds. */
  messages?: Readonly<Record<string, z.ZodType>>;
  /**
   * The error answers this route gives besides those of every route (401 and 403 with tokens, 500), and when; each
   * has the error envelope (errors.ts) unless a schema says more.
   */
  errors?: Readonly<Partial<Record<ErrorStatus, string | { description: string; schema: z.ZodType }>>>;
}

/** A route, its literal type kept so the answer's schema types its callers. */
export const route = <const R extends RouteSpec>(spec: R): R => spec;

/** The JSON body a route answers with on success. */
export type JsonAnswer<R extends RouteSpec> = R['answer']['content'] extends { 'application/json': infer S extends z.ZodType } ? z.output<S> : never;

export const JSON_TYPE = 'application/json';
export const EVENT_STREAM = 'text/event-stream';

/** A JSON body, its schema's type kept. */
export const jsonContent = <S extends z.ZodType>(schema: S) => ({ [JSON_TYPE]: schema }) as { 'application/json': S };
