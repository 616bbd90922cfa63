/**
 * The HTTP client for the Causeway API: JSON in and out, and every failure as an ApiFailure carrying the
 * server's stable error `code`, its message and details (or `network` when the server could not be reached).
 * Every request and every event stream of the app goes through here, so the signed-in token (see session.ts)
 * is applied to all of them: `Authorization: Bearer` on requests, `?access_token=` on streams (EventSource
 * cannot send headers). A 401 on the session's token is reported to whoever listens (the session ends).
 */
export interface ErrorDetail {
  path?: string;
  message: string;
  [key: string]: unknown;
}

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
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : `http_${status}`;
  const message = typeof error?.message === 'string' ? error.message : `the server answered ${status}`;
  const details = Array.isArray(error?.details) ? (error.details as ErrorDetail[]) : [];
  return new ApiFailure(status, code, message, details, body);
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
export async function request<T>(path: string, init: RequestInit = {}): Promise<ApiResponse<T>> {
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
  return { body: body as T, headers: response.headers, status: response.status };
}

/** The URL of an event stream with the token in its query, where EventSource can carry it. */
export function streamUrl(path: string, accessToken: string | null = token): string {
  if (accessToken === null) return path;
  return `${path}${path.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(accessToken)}`;
}

/** Opens a server-sent event stream of the API, carrying the token. */
export const openEventStream = (path: string): EventSource => new EventSource(streamUrl(path));

export const getJson = async <T>(path: string): Promise<T> => (await request<T>(path)).body;

export const sendJson = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> =>
  request<T>(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

/** A readable one-line description of any error, for error states; a 403 says the role is too low. */
export const describeError = (error: unknown): string =>
  error instanceof ApiFailure
    ? error.status === 403
      ? `your role does not allow this (${error.message})`
      : error.message
    : error instanceof Error
      ? error.message
      : String(error);
