/**
 * Who is calling and what they may do. With no tokens configured every caller is an anonymous admin (the server
 * only binds loopback then). With tokens, every `/api` route but `/api/health` and the API's description
 * (`/api/openapi.json`, `/api/docs`), and `/metrics`, need `Authorization: Bearer`; roles rank viewer < editor <
 * admin: viewers read (and validate), editors change flows and publish, admins deploy and stop. Browsers' EventSource cannot send headers, so the event streams — and only
 * they, listed in SSE_ROUTES — also accept `?access_token=`; anywhere else a token in the URL is refused, so
 * secrets do not spread into URLs, logs and histories.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ROLES, type Role, type Token } from '../config.js';
import { ApiError } from './errors.js';
import type { AppEnv, Principal } from './deps.js';

export const ANONYMOUS: Principal = { name: null, role: 'admin' };

export const rank = (role: Role): number => ROLES.indexOf(role);

export type AuthOutcome = { ok: true; principal: Principal } | { ok: false; error: ApiError };

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Finds the token a secret belongs to, comparing in constant time. */
export function tokenFor(tokens: readonly Token[], secret: string): Token | undefined {
  const given = digest(secret);
  let found: Token | undefined;
  for (const token of tokens) if (timingSafeEqual(digest(token.secret), given)) found = token;
  return found;
}

/** Open to anyone: health, and the API's description (it describes the routes and holds no data). */
const OPEN_PATHS = new Set(['/api/health', '/api/openapi.json', '/api/docs']);

/** The role a request needs, or null when it is open to anyone. */
export function requiredRole(method: string, path: string): Role | null {
  if (path === '/metrics') return 'viewer';
  if (!path.startsWith('/api/') && path !== '/api') return null;
  if (OPEN_PATHS.has(path) || path.startsWith('/api/docs/')) return null;
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return 'viewer';
  // Validating computes an answer and stores nothing: a viewer may see a flow's problems too.
  if (m === 'POST' && path === '/api/flows/validate') return 'viewer';
  if (/^\/api\/flows\/[^/]+\/(deploy|stop)$/.test(path)) return 'admin';
  return 'editor';
}

/**
 * The server-sent event streams: the only routes that take `?access_token=` (EventSource sends no headers). A
 * new stream route is added here.
 */
export const SSE_ROUTES: readonly RegExp[] = [/^\/api\/events\/live$/, /^\/api\/flows\/[^/]+\/live$/, /^\/api\/replays\/[^/]+\/live$/];

/** Whether a request may carry its secret in the query: a GET of an event stream. */
export function acceptsQueryToken(method: string, path: string): boolean {
  return method.toUpperCase() === 'GET' && SSE_ROUTES.some((route) => route.test(path));
}

/**
 * Why a principal may not delete a flow, or null when it may: deleting a running flow stops it first, and
 * stopping needs the admin role; a stopped flow is the editor's to delete. Pure.
 */
export function deleteFlowDenied(principal: Principal, flowId: string, running: boolean): ApiError | null {
  if (!running || rank(principal.role) >= rank('admin')) return null;
  const message = `flow "${flowId}" is running: deleting it stops it first, and stopping a running flow needs the admin role; the token "${principal.name ?? ''}" is ${principal.role}`;
  return new ApiError(403, 'forbidden', message, [{ path: 'Authorization', message: 'needs role admin to stop a running flow', required: 'admin', role: principal.role }]);
}

export interface Credentials {
  authorization?: string | undefined;
  /** `?access_token=`, when the route accepts it. */
  accessToken?: string | undefined;
}

const unauthorized = (message: string) =>
  new ApiError(401, 'unauthorized', message, [{ path: 'Authorization', message }], { 'WWW-Authenticate': 'Bearer realm="causeway"' });

const queryTokenRefused = (path: string) => {
  const message = `access_token: ${path} is not an event stream; only the streams take a token in the query, send Authorization: Bearer <token>`;
  return new ApiError(401, 'unauthorized', message, [{ path: 'access_token', message: 'only event streams accept it' }], { 'WWW-Authenticate': 'Bearer realm="causeway"' });
};

/** Who the credentials name; pure. */
export function authenticate(tokens: readonly Token[], credentials: Credentials): AuthOutcome {
  if (tokens.length === 0) return { ok: true, principal: ANONYMOUS };
  let secret: string | undefined;
  if (credentials.authorization !== undefined) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(credentials.authorization);
    if (!match) return { ok: false, error: unauthorized('the Authorization header must be "Bearer <token>"') };
    secret = match[1];
  } else if (credentials.accessToken !== undefined) {
    secret = credentials.accessToken;
  }
  if (secret === undefined || secret === '') return { ok: false, error: unauthorized('this route needs a token: Authorization: Bearer <token>') };
  const token = tokenFor(tokens, secret);
  if (!token) return { ok: false, error: unauthorized('the token is not valid') };
  return { ok: true, principal: { name: token.name, role: token.role } };
}

/** Whether a principal may do what needs `required`; pure. */
export function authorize(principal: Principal, required: Role | null): ApiError | null {
  if (required === null || rank(principal.role) >= rank(required)) return null;
  return new ApiError(403, 'forbidden', `this needs the ${required} role; the token "${principal.name ?? ''}" is ${principal.role}`, [
    { path: 'Authorization', message: `needs role ${required}`, required, role: principal.role },
  ]);
}

/** Throws 403 unless the caller has `role` (for routes that decide by their body, such as a live replay). */
export function requireRole(principal: Principal, role: Role): void {
  const denied = authorize(principal, role);
  if (denied) throw denied;
}

export function authMiddleware(tokens: readonly Token[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.method;
    const path = c.req.path;
    const required = requiredRole(method, path);
    if (required === null || tokens.length === 0) {
      c.set('principal', tokens.length === 0 ? ANONYMOUS : { name: null, role: 'viewer' });
      return next();
    }
    const accessToken = c.req.query('access_token');
    if (accessToken !== undefined && !acceptsQueryToken(method, path)) throw queryTokenRefused(path);
    const outcome = authenticate(tokens, { authorization: c.req.header('authorization'), accessToken });
    if (!outcome.ok) throw outcome.error;
    const denied = authorize(outcome.principal, required);
    if (denied) throw denied;
    c.set('principal', outcome.principal);
    return next();
  };
}
