/**
 * Every error answer has one shape: `{"error": {"code", "message", "details": [...]}}`. Client mistakes are 4xx
 * with a message naming the field; anything unexpected is a 500 with a generic message (logged, never a stack).
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { ErrorDetail } from '../../shared/api/errors.js';
import { ImportError, type ImportErrorCode } from '../imports/import-error.js';
import { ReplayError } from '../replay/errors.js';
import { FlowTestError, type FlowTestErrorCode } from '../replay/test-error.js';
import { EngineError } from '../runtime/engine.js';
import { StoreError } from '../store/index.js';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
    /** Extra top-level fields of the answer (a deploy's `errors` list). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string, details: ErrorDetail[] = [], code = 'invalid_request') => new ApiError(400, code, message, details);
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} does not exist`);

/** A zod failure as a 400 naming the first field (all of them in details). */
export function validationError(error: z.ZodError, prefix: (string | number)[] = [], what = 'request'): ApiError {
  const details = error.issues.slice(0, 50).map((issue) => {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : undefined;
    return { path: path.join('.'), message: issue.message, ...(keys ? { keys } : {}) };
  });
  const first = details[0];
  const message = first ? `${first.path === '' ? what : first.path}: ${first.message}` : `invalid ${what}`;
  return new ApiError(400, 'validation_failed', message, details);
}

/** A zod schema, or anything that answers as one does. */
interface Parser<T> {
  safeParse(value: unknown): z.ZodSafeParseResult<T>;
}

/** Parse with a zod schema, or throw a 400 naming the field. */
export function parseWith<T>(schema: Parser<T>, value: unknown, prefix: (string | number)[] = [], what?: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, prefix, what);
  return result.data;
}

export function errorBody(code: string, message: string, details: unknown[] = []) {
  return { error: { code, message, details } };
}

/** Maps what a handler threw to an answer. */
export function toErrorResponse(c: Context, error: unknown, log: (error: unknown) => void): Response {
  if (error instanceof ApiError) {
    for (const [k, v] of Object.entries(error.headers)) c.header(k, v);
    return c.json({ ...errorBody(error.code, error.message, error.details), ...error.extra }, error.status);
  }
  if (error instanceof StoreError) {
    const details = [{ message: error.message, ...error.details }];
    switch (error.code) {
      case 'version_conflict':
        return c.json(errorBody('version_conflict', error.message, details), 409);
      case 'duplicate_conflict':
        return c.json(errorBody('duplicate_conflict', error.message, details), 409);
      case 'revision_conflict':
        return c.json(errorBody('revision_conflict', error.message, details), 412);
      case 'not_found':
        return c.json(errorBody('not_found', error.message, details), 404);
      case 'storage_full':
        return c.json(errorBody('storage_full', error.message), 507);
      case 'invalid_event': {
        const field = typeof error.details.field === 'string' ? error.details.field : '';
        return c.json(errorBody('invalid_event', error.message, [{ path: field, message: error.message }]), 400);
      }
      case 'invalid_filter':
        return c.json(errorBody('invalid_query', error.message), 400);
    }
  }
  if (error instanceof ImportError) {
    const status = IMPORT_STATUS[error.code];
    if (error.code === 'imports_busy') c.header('Retry-After', '1');
    if (status === 500) log(error);
    return c.json(errorBody(error.code, error.message, [{ path: '', ...error.details, message: error.message }]), status);
  }
  if (error instanceof EngineError) {
    c.header('Retry-After', error.code === 'bus_busy' ? '1' : '5');
    return c.json(errorBody(error.code, error.message), 503);
  }
  if (error instanceof ReplayError) {
    const details = [{ message: error.message, ...error.details }];
    // No replay's end can be foreseen: a few seconds is when a retry has a chance.
    if (error.code === 'too_many_replays') c.header('Retry-After', '5');
    return c.json(errorBody(error.code, error.message, details), error.code === 'too_many_replays' ? 429 : 409);
  }
  if (error instanceof FlowTestError) {
    if (error.code === 'too_many_tests') c.header('Retry-After', '2');
    const { path = '', ...rest } = error.details as { path?: string };
    return c.json(errorBody(error.code, error.message, [{ path, ...rest, message: error.message }]), FLOW_TEST_STATUS[error.code]);
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    if (status >= 400 && status < 500) return c.json(errorBody(httpCode(status), error.message || 'bad request'), status as ContentfulStatusCode);
  }
  log(error);
  return c.json(errorBody('internal', 'the server failed to answer this request; see its log'), 500);
}

const FLOW_TEST_STATUS: Record<FlowTestErrorCode, ContentfulStatusCode> = {
  not_a_source: 400,
  no_source: 400,
  too_many_events: 400,
  event_not_found: 404,
  too_many_tests: 429,
};

const IMPORT_STATUS: Record<ImportErrorCode, ContentfulStatusCode> = {
  regex_timeout: 400,
  parse_timeout: 400,
  parse_out_of_memory: 413,
  parse_failed: 500,
  imports_busy: 503,
};

function httpCode(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    default:
      return `http_${status}`;
  }
}
