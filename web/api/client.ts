/**
 * The HTTP client for the Causeway API: JSON in and out, every answer parsed by its schema from shared/api (an answer
 * of another shape fails here, at the boundary, not in a page), and every failure as an ApiFailure carrying the
 * server's stable error `code`, its message and details (`network` when the server could not be reached,
 * `invalid_answer` when it answered what the API does not say). Every request and every event stream of the app
 * goes through here, so the signed-in token (see session.ts) is applied to all of them: `Authorization: Bearer` on
 * requests, `?access_token=` on streams (EventSource cannot send headers). A 401 on the session's token is reported
 * to whoever listens (the session ends).
 */
import type { z } from 'zod';
import { ErrorAnswerSchema, type ErrorDetail } from '../../shared/api/errors.js';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** The whole answer, for routes that add fields to an error (a deploy's `errors`). */
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export interface ApiResponse<T> {
  body: T;
  headers: Headers;
  status: number;
}

function failureFrom(status: number, body: unknown): ApiFailure {
  const answer = ErrorAnswerSchema.safeParse(body);
  if (!answer.success) return new ApiFailure(status, `http_${status}`, `the server answered ${status}`, [], body);
  const { code, message, details } = answer.data.error;
  return new ApiFailure(status, code, message, details, body);
}

/** The answer's body as its schema reads it, or an `invalid_answer` failure naming the first field that differs. */
function parsedAnswer<S extends z.ZodType>(schema: S, what: string, status: number, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const details = result.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  const first = details[0];
  const where = first ? `${first.path === '' ? 'the answer' : first.path}: ${first.message}` : 'it does not match';
  throw new ApiFailure(status, 'invalid_answer', `${what} answered what the API does not say (${where})`, details, body);
}

let token: string | null = null;
const refusedListeners = new Set<(failure: ApiFailure) => void>();

/** The token every request and stream carries from now on; null: none. */
export function setAccessToken(next: string | null): void {
  token = next;
}

/** Calls `listener` when the server refuses the token requests carry (or asks for one): 401. */
export function onRefused(listener: (failure: ApiFailure) => void): () => void {
  refusedListeners.add(listener);
  return () => refusedListeners.delete(listener);
}

const hasAuthorization = (headers: HeadersInit | undefined) =>
  headers !== undefined && Object.keys(headers as Record<string, string>).some((k) => k.toLowerCase() === 'authorization');

/**
 * Sends a request to the API. A caller that sets its own Authorization header (signing in with a new token)
 * gets it as it is, and its 401 is only its own.
 */
export async function request(path: string, init: RequestInit = {}): Promise<ApiResponse<unknown>> {
  const own = hasAuthorization(init.headers);
  const sent = own ? null : token;
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      headers: {
        accept: 'application/json',
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(sent !== null ? { authorization: `Bearer ${sent}` } : {}),
        ...(init.headers ?? {}),
      },
    });
  } catch (error) {
    throw new ApiFailure(0, 'network', `the server could not be reached (${error instanceof Error ? error.message : String(error)})`);
  }
  const text = await response.text();
  let body: unknown = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!response.ok) {
    const failure = failureFrom(response.status, body);
    // A late answer to a token since replaced (signed out, signed in again) ends nothing.
    if (response.status === 401 && !own && sent === token) refusedListeners.forEach((l) => l(failure));
    throw failure;
  }
  return { body, headers: response.headers, status: response.status };
}

/** The URL of an event stream with the token in its query, where EventSource can carry it. */
export function streamUrl(path: string, accessToken: string | null = token): string {
  if (accessToken === null) return path;
  return `${path}${path.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(accessToken)}`;
}

/** Opens a server-sent event stream of the API, carrying the token. */
export const openEventStream = (path: string): EventSource => new EventSource(streamUrl(path));

/** A request whose answer is parsed by `schema`. */
export async function call<S extends z.ZodType>(path: string, schema: S, init: RequestInit = {}): Promise<ApiResponse<z.output<S>>> {
  const answer = await request(path, init);
  return { ...answer, body: parsedAnswer(schema, `${init.method ?? 'GET'} ${path}`, answer.status, answer.body) };
}

/** A GET whose answer is parsed by `schema`. */
export const getJson = async <S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> => (await call(path, schema)).body;

/** A request with a JSON body (or none) whose answer is parsed by `schema`. */
export const sendJson = <S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<z.output<S>>> =>
  call(path, schema, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

/** A readable one-line description of any error, for error states; a 403 says the role is too low. */
export const describeError = (error: unknown): string =>
  error instanceof ApiFailure
    ? error.status === 403
      ? `your role does not allow this (${error.message})`
      : error.message
    : error instanceof Error
      ? error.message
      : String(error);
