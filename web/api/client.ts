/**
 * The HTTP client for the Causeway API: JSON in and out, and every failure as an ApiFailure carrying the
 * server's stable error `code`, its message and details (or `network` when the server could not be reached).
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

export async function request<T>(path: string, init: RequestInit = {}): Promise<ApiResponse<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      headers: { accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) },
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
  if (!response.ok) throw failureFrom(response.status, body);
  return { body: body as T, headers: response.headers, status: response.status };
}

export const getJson = async <T>(path: string): Promise<T> => (await request<T>(path)).body;

export const sendJson = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> =>
  request<T>(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

/** A readable one-line description of any error, for error states. */
export const describeError = (error: unknown): string =>
  error instanceof ApiFailure ? error.message : error instanceof Error ? error.message : String(error);
